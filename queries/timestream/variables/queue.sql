SELECT DISTINCT queue_name
FROM "{{ timestream_database }}".queue_metrics
WHERE time > ago(1d)
  AND instance_id = ${instance:sqlstring}
  AND queue_name IS NOT NULL
ORDER BY queue_name
