{% from "timestream/_latest.sql" import agents with context %}-- Agents whose latest contact has ended and who are in after-contact work.
WITH {{ agents() }}
SELECT count_if(contact_state = 'ENDED') AS after_contact_work
FROM agents
