{% from "timestream/_latest.sql" import agents, current_contacts with context %}-- Agents in error, as AGENTS_ERROR on the Queues dashboard: a missed or failed contact in their latest snapshot, not yet cleared.
WITH {{ agents() }}, {{ current_contacts() }}
SELECT count(DISTINCT agent_id) AS error
FROM current_contacts
WHERE state IN ('MISSED', 'ERROR')
