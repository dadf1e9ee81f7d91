{% from "timestream/_latest.sql" import agents, current_contacts with context %}-- Agents with at least one contact in after-contact work (ENDED) in their latest snapshot.
WITH {{ agents() }}, {{ current_contacts() }}
SELECT count(DISTINCT agent_id) AS after_contact_work
FROM current_contacts
WHERE state = 'ENDED'
