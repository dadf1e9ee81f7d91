-- Agents online, gap-filled with CREATE_TIME_SERIES and INTERPOLATE_LINEAR over 15 s steps.
WITH binned AS (
  SELECT queue_name, bin(time, 15s) AS t, avg(agents_online) AS online
  FROM "{{ timestream_database }}".queue_metrics
  WHERE time BETWEEN from_milliseconds($__timeFrom) AND from_milliseconds($__timeTo)
  GROUP BY queue_name, bin(time, 15s)
), series AS (
  SELECT queue_name,
         INTERPOLATE_LINEAR(CREATE_TIME_SERIES(t, online), SEQUENCE(min(t), max(t), 15s)) AS online_series
  FROM binned
  GROUP BY queue_name
)
SELECT queue_name, p.time, p.value
FROM series
CROSS JOIN UNNEST(online_series) AS p(time, value)
ORDER BY p.time ASC
