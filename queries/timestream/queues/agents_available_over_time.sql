-- agents_available per queue over time, from the collector's snapshots (sum over channels per minute).
SELECT queue_name, CREATE_TIME_SERIES(t, v) AS agents_available
FROM (
  SELECT bin(time, 1m) AS t, queue_name, CAST(sum(agents_available) AS DOUBLE) AS v
  FROM "{{ timestream_database }}".queue_metrics
  WHERE $__timeFilter
    AND instance_id = '$instance'
    AND queue_name IN ($queue)
    AND channel IN ($channel)
  GROUP BY bin(time, 1m), queue_name
)
GROUP BY queue_name
