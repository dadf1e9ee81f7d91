-- Contacts in queue per queue, binned to the panel's interval.
SELECT queue_name, bin(time, $__interval_ms) AS time, max(contacts_in_queue) AS contacts_in_queue
FROM "{{ timestream_database }}".queue_metrics
WHERE $__timeFilter
  AND queue_name IN ($queue)
  AND channel = ${channel_single:sqlstring}
GROUP BY queue_name, bin(time, $__interval_ms)
ORDER BY time ASC
