{% from "timestream/_latest.sql" import contacts with context %}{% from "_abandoned.sql" import left_queue_unanswered %}-- The stat panels' numbers in one row, one column each (the panels pick theirs), from each contact's latest event of the last 24 hours: waiting (latest event QUEUED, however long ago); of the contacts enqueued today (UTC): Connect's service level (left the queue, answered or disconnected, within sl_seconds s (the variable) / every contact enqueued today x 100; one still waiting counts as queued and not within until it leaves), CONTACTS_ABANDONED (the customer left the queue; callbacks, contacts the flow ended and expired ones excluded), and the mean seconds (to the millisecond) from enqueue to agent of those answered.
WITH {{ contacts() }}, today AS (SELECT *, enqueued_at >= date_trunc('day', now()) AS enqueued_today FROM contacts)
SELECT count_if(last_event = 'QUEUED') AS waiting,
       100.0 * count_if(enqueued_today AND date_diff('millisecond', enqueued_at, coalesce(connected_to_agent_at, disconnected_at)) <= CAST(${sl_seconds:sqlstring} AS DOUBLE) * 1000)
       / nullif(count_if(enqueued_today), 0) AS service_level,
       count_if(enqueued_today AND disconnected_at IS NOT NULL AND {{ left_queue_unanswered('connected_to_agent_at', 'initiation_method', 'disconnect_reason') }}) AS abandoned,
       avg(CASE WHEN enqueued_today AND connected_to_agent_at IS NOT NULL THEN date_diff('millisecond', enqueued_at, connected_to_agent_at) END) / 1000.0 AS avg_speed_of_answer
FROM today
