{% from "timestream/_latest.sql" import agents, current_contacts with context %}-- Agents Connect will not route to until they clear an offer they did not take: a missed, rejected or failed contact in their latest snapshot.
WITH {{ agents() }}, {{ current_contacts() }}
SELECT count(DISTINCT agent_id) AS needing_attention
FROM current_contacts
WHERE state IN ('MISSED', 'REJECTED', 'ERROR')
