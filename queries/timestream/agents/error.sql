{% from "timestream/_latest.sql" import agents, current_contacts with context %}-- Agents with a missed, rejected or failed contact in their latest snapshot.
WITH {{ agents() }}, {{ current_contacts() }}
SELECT count(DISTINCT agent_id) AS error
FROM current_contacts
WHERE state IN ('MISSED', 'REJECTED', 'ERROR')
