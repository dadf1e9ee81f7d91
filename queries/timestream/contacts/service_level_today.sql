{% from "timestream/_latest.sql" import contacts with context %}-- Connect's service level: contacts enqueued today (from midnight in the dashboard's time zone) that left the queue (answered or disconnected) within sl_seconds s (the variable) / every contact enqueued today x 100; one still waiting counts as queued and not within until it leaves.
WITH {{ contacts(today=True) }}
SELECT 100.0 * count_if(date_diff('millisecond', enqueued_at, coalesce(connected_to_agent_at, disconnected_at)) <= CAST(${sl_seconds:sqlstring} AS DOUBLE) * 1000)
       / nullif(count(*), 0) AS service_level
FROM contacts
WHERE enqueued_at >= from_milliseconds($__timeFrom)
