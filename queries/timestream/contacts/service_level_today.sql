{% from "timestream/_latest.sql" import contacts with context %}-- Contacts enqueued today (UTC) that left the queue within $sl_seconds s (answered or disconnected) / those that left it x 100.
WITH {{ contacts() }}
SELECT 100.0 * count_if(date_diff('second', enqueued_at, coalesce(connected_to_agent_at, disconnected_at)) <= $sl_seconds)
       / nullif(count_if(coalesce(connected_to_agent_at, disconnected_at) IS NOT NULL), 0) AS service_level
FROM contacts
WHERE enqueued_at >= date_trunc('day', now())
