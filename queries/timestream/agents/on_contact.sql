{% from "timestream/_latest.sql" import agents, current_contacts with context %}-- Agents with at least one contact ringing, connected, on hold or paused in their latest snapshot.
WITH {{ agents() }}, {{ current_contacts() }}
SELECT count(DISTINCT agent_id) AS on_contact
FROM current_contacts
WHERE state IN ('INCOMING', 'PENDING', 'CONNECTING', 'CONNECTED', 'CONNECTED_ONHOLD', 'PAUSED')
