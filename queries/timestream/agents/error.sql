{% from "timestream/_latest.sql" import agents with context %}-- Agents whose latest contact was missed, rejected or failed.
WITH {{ agents() }}
SELECT count_if(contact_state IN ('MISSED', 'REJECTED', 'ERROR')) AS error
FROM agents
