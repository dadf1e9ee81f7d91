SELECT queue_name,
       CREATE_TIME_SERIES(time, CAST(contacts_in_queue AS DOUBLE)) AS contacts_in_queue
FROM "{{ timestream_database }}".queue_metrics
WHERE $__timeFilter
  AND instance_id = '$instance'
  AND queue_name IN ($queue)
  AND channel IN ($channel)
GROUP BY queue_name
