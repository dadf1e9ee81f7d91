SELECT DISTINCT instance_id
FROM "{{ timestream_database }}".queue_metrics
WHERE time > ago(1d)
ORDER BY instance_id
