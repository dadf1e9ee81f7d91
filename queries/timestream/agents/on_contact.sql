{% from "timestream/_latest.sql" import agents with context %}-- Agents with a contact that is ringing, connected, on hold or paused.
WITH {{ agents() }}
SELECT count_if(contact_count > 0 AND contact_state NOT IN ('ENDED', 'MISSED', 'REJECTED', 'ERROR')) AS on_contact
FROM agents
