{% from "timestream/queues/_selection.sql" import minutes with context %}-- Oldest contact's wait in seconds (oldest_contact_age_seconds) per selected queue and minute, over the selected channels' rows (max).
WITH {{ minutes() }}
SELECT queue_name, CREATE_TIME_SERIES(t, v) AS oldest_contact_age_seconds
FROM (
  SELECT t, queue_name, CAST(coalesce(max(oldest_contact_age_seconds), 0) AS DOUBLE) AS v
  FROM minutes
  WHERE queue_name IN ($queue)
    AND channel IN ($channel)
  GROUP BY t, queue_name
)
GROUP BY queue_name
