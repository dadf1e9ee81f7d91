-- Per standard queue (label queue_id; agent queues left out): service level of the contacts that left the queue in the window: those that left it, answered (CONNECTED_TO_AGENT) or not (DISCONNECTED without reaching an agent), within service_level_seconds of entering it, / all that left it, x 100. Contacts still waiting are not counted (the oldest-contact rule watches them); a queue none left in the window has no series.
SELECT now() AS time, queue_id, 100.0 * count_if(date_diff('millisecond', enqueued_at, dequeued_at) <= {{ service_level_seconds * 1000 }}) / count(*) AS service_level
FROM "{{ timestream_database }}".contact_event
WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}' AND enqueued_at IS NOT NULL AND dequeued_at IS NOT NULL AND queue_id NOT LIKE 'agent/%' AND (event_type = 'CONNECTED_TO_AGENT' OR (event_type = 'DISCONNECTED' AND NOT reached_agent))
GROUP BY queue_id
