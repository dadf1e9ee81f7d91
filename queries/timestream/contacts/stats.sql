{% from "timestream/_latest.sql" import contacts with context %}{% from "_abandoned.sql" import left_queue_unanswered %}-- The stat panels' numbers in one row, one column each (the panels pick theirs): waiting, from each contact's latest event of the last 24 hours (latest event QUEUED, however long ago); of the contacts enqueued today (from midnight in the dashboard's time zone: the panel's range, its relative time now/d, whose events hold every event of a contact enqueued today): Connect's service level (left the queue, answered or disconnected, within sl_seconds s (the variable) / every contact enqueued today x 100; one still waiting counts as queued and not within until it leaves), CONTACTS_ABANDONED (the customer left the queue; callbacks, contacts the flow ended and expired ones excluded), and the mean seconds (to the millisecond) from enqueue to agent of those answered.
WITH {{ contacts() }}, {{ contacts(today=True, name="today") }}
SELECT w.waiting, t.service_level, t.abandoned, t.avg_speed_of_answer
FROM (SELECT count_if(last_event = 'QUEUED') AS waiting FROM contacts) w
CROSS JOIN (
    SELECT 100.0 * count_if(date_diff('millisecond', enqueued_at, coalesce(connected_to_agent_at, disconnected_at)) <= CAST(${sl_seconds:sqlstring} AS DOUBLE) * 1000)
           / nullif(count(*), 0) AS service_level,
           count_if(disconnected_at IS NOT NULL AND {{ left_queue_unanswered('connected_to_agent_at', 'initiation_method', 'disconnect_reason') }}) AS abandoned,
           avg(CASE WHEN connected_to_agent_at IS NOT NULL THEN date_diff('millisecond', enqueued_at, connected_to_agent_at) END) / 1000.0 AS avg_speed_of_answer
    FROM today
    WHERE enqueued_at >= from_milliseconds($__timeFrom)
) t
