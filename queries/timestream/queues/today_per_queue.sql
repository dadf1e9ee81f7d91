{% from "timestream/_latest.sql" import contacts with context %}{% from "_abandoned.sql" import left_queue_unanswered %}-- Per selected queue, today so far (contacts enqueued since midnight in the dashboard's time zone, the panel's range from $__timeFrom): queued, handled (connected to an agent), abandoned (_abandoned.sql), abandonment rate, service level at each table threshold (left the queue, answered or not, within X s / queued; one still waiting is not within), average speed of answer, average handle time (connected to agent to the end of after-contact work, of contacts whose COMPLETED event came), average and maximum time in queue of contacts that left it; beside the collector's latest snapshot today of the queue for all its channels (a queue with no snapshot today shows its id). Rows in queue id order, as InfluxDB's.
WITH {{ contacts(today=True) }},
snapshot AS (SELECT * FROM (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.queue_id ORDER BY m.time DESC) AS latest_rank FROM "{{ timestream_database }}".queue_metrics m WHERE m.time >= from_milliseconds($__timeFrom) AND m.time <= now() AND m.instance_id = ${instance:sqlstring} AND m.channel = 'ALL' AND m.queue_id <> 'ALL' AND m.queue_name IN ($queue)) WHERE latest_rank = 1),
today AS (
  SELECT queue_id,
         count(*) AS queued,
         count_if(connected_to_agent_at IS NOT NULL) AS handled,
         count_if(disconnected_at IS NOT NULL AND {{ left_queue_unanswered('connected_to_agent_at', 'initiation_method', 'disconnect_reason') }}) AS abandoned,
{%- for seconds in table_service_levels %}
         count_if(date_diff('millisecond', enqueued_at, coalesce(connected_to_agent_at, disconnected_at)) <= {{ seconds * 1000 }}) AS within_{{ seconds }},
{%- endfor %}
         avg(CASE WHEN connected_to_agent_at IS NOT NULL THEN date_diff('millisecond', enqueued_at, connected_to_agent_at) END) / 1000.0 AS avg_speed_of_answer,
         avg(CASE WHEN last_event = 'COMPLETED' AND connected_to_agent_at IS NOT NULL THEN date_diff('millisecond', connected_to_agent_at, last_event_at) END) / 1000.0 AS avg_handle_time,
         avg(date_diff('millisecond', enqueued_at, coalesce(connected_to_agent_at, disconnected_at))) / 1000.0 AS avg_queued_time,
         max(date_diff('millisecond', enqueued_at, coalesce(connected_to_agent_at, disconnected_at))) / 1000.0 AS max_queued_time
  FROM contacts
  WHERE enqueued_at >= from_milliseconds($__timeFrom)
  GROUP BY queue_id
)
SELECT coalesce(s.queue_name, t.queue_id) AS queue,
       coalesce(t.queued, 0) AS contacts_queued,
       coalesce(t.handled, 0) AS contacts_handled,
       coalesce(t.abandoned, 0) AS contacts_abandoned,
       100.0 * t.abandoned / t.queued AS abandonment_rate,
{%- for seconds in table_service_levels %}
       100.0 * t.within_{{ seconds }} / t.queued AS service_level_{{ seconds }},
{%- endfor %}
       t.avg_speed_of_answer, t.avg_handle_time, t.avg_queued_time, t.max_queued_time,
       s.contacts_in_queue, s.oldest_contact_age_seconds, s.agents_available, s.agents_staffed
FROM snapshot s FULL JOIN today t ON t.queue_id = s.queue_id
ORDER BY coalesce(s.queue_id, t.queue_id)
