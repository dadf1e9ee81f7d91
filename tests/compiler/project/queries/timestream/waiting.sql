SELECT COUNT(*) AS waiting
FROM "{{ timestream_database }}".queue_metrics
WHERE $__timeFilter
  AND instance_id = '$instance'
