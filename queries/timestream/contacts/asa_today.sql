{% from "timestream/_latest.sql" import contacts with context %}-- Mean seconds (to the millisecond) from enqueue to agent of contacts enqueued today (from midnight in the dashboard's time zone) and answered.
WITH {{ contacts(today=True) }}
SELECT avg(date_diff('millisecond', enqueued_at, connected_to_agent_at)) / 1000.0 AS avg_speed_of_answer
FROM contacts
WHERE enqueued_at >= from_milliseconds($__timeFrom) AND connected_to_agent_at IS NOT NULL
