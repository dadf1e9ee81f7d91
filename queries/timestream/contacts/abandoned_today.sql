{% from "timestream/_latest.sql" import contacts with context %}-- Contacts enqueued today (UTC), disconnected without reaching an agent; callbacks excluded.
WITH {{ contacts() }}
SELECT count_if(connected_to_agent_at IS NULL AND disconnected_at IS NOT NULL AND initiation_method <> 'CALLBACK') AS abandoned
FROM contacts
WHERE enqueued_at >= date_trunc('day', now())
