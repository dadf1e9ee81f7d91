{% from "timestream/_latest.sql" import contacts with context %}-- Contacts enqueued today (UTC), disconnected without reaching an agent; callbacks, contacts the flow ended (e.g. to queue a callback) and expired ones excluded.
WITH {{ contacts() }}
SELECT count_if(connected_to_agent_at IS NULL AND disconnected_at IS NOT NULL AND initiation_method <> 'CALLBACK' AND coalesce(disconnect_reason, '') NOT IN ('CONTACT_FLOW_DISCONNECT', 'EXPIRED')) AS abandoned
FROM contacts
WHERE enqueued_at >= date_trunc('day', now())
