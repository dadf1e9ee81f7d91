{% from "timestream/_latest.sql" import contacts with context %}-- Mean seconds (to the millisecond) from enqueue to agent of contacts enqueued today (UTC) and answered.
WITH {{ contacts() }}
SELECT avg(date_diff('millisecond', enqueued_at, connected_to_agent_at)) / 1000.0 AS avg_speed_of_answer
FROM contacts
WHERE enqueued_at >= date_trunc('day', now()) AND connected_to_agent_at IS NOT NULL
