-- Contacts waiting in the selected queues now: the latest collector snapshot per queue and channel.
WITH latest AS (
  SELECT contacts_in_queue,
         ROW_NUMBER() OVER (PARTITION BY queue_id, channel ORDER BY time DESC) AS rn
  FROM "{{ timestream_database }}".queue_metrics
  WHERE time > ago(5m)
    AND instance_id = '$instance'
    AND queue_name IN ($queue)
    AND channel IN ($channel)
)
SELECT COALESCE(SUM(contacts_in_queue), 0) AS contacts_in_queue
FROM latest
WHERE rn = 1
