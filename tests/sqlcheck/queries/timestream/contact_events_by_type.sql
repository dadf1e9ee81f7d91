-- Contact events per type from the target's table (the datasource's default database).
SELECT event_type, count(*) AS events, avg(date_diff('millisecond', enqueued_at, connected_to_agent_at)) AS wait_ms
FROM $__database.$__table
WHERE $__timeFilter AND measure_name = '$__measure'
  AND time > from_milliseconds($__now_ms) - ($__interval_raw_ms * 10) * 1ms
GROUP BY event_type
