{% from "timestream/queues/_selection.sql" import minutes with context %}-- Callbacks scheduled (contacts_scheduled) per selected queue and minute, over the selected channels' rows (sum).
WITH {{ minutes() }}
SELECT queue_name, CREATE_TIME_SERIES(t, v) AS contacts_scheduled
FROM (
  SELECT t, queue_name, CAST(coalesce(sum(contacts_scheduled), 0) AS DOUBLE) AS v
  FROM minutes
  WHERE queue_name IN ($queue)
    AND channel IN ($channel)
  GROUP BY t, queue_name
)
GROUP BY queue_name
