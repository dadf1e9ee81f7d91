-- Collector snapshots of the instance (queue_id ALL: one per collector run, every minute) written in the window: 0 when the collector or its ingest stopped.
SELECT now() AS time, count(*) AS snapshots FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}' AND queue_id = 'ALL'
