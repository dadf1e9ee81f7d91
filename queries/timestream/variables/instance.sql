-- Every instance the collector wrote in the last day, but not the writers' schema-seed rows (transform/seed.py).
SELECT DISTINCT instance_id
FROM "{{ timestream_database }}".queue_metrics
WHERE time > ago(1d)
  AND instance_id <> 'schema-seed'
ORDER BY instance_id
