{% from "athena/_contacts.sql" import contacts with context %}{% from "athena/history/queues/_queue.sql" import queue_label %}-- SERVICE_LEVEL per interval (the interval variable) and queue: contacts that entered the queue in the interval and left it within sl_seconds s.
-- The interval's seconds come from a CASE on the quoted value, not from the time-group macro's argument: a value a link
-- sets stays a string literal (an unknown one buckets nothing), where as a macro argument it would be SQL text.
WITH {{ contacts(queued=True) }}
{%- set seconds %}CASE ${interval:sqlstring} WHEN '15m' THEN 900 WHEN '30m' THEN 1800 WHEN '1h' THEN 3600 WHEN '1d' THEN 86400 END{% endset %}
SELECT from_unixtime(floor(to_unixtime(from_iso8601_timestamp(queue.enqueuetimestamp)) / {{ seconds }}) * {{ seconds }}) AS time,
       {{ queue_label() }} AS queue,
       100e0 * count_if(queue.duration <= CAST(${sl_seconds:sqlstring} AS DOUBLE)) / count(*) AS service_level
FROM ctr
WHERE queue.enqueuetimestamp IS NOT NULL
GROUP BY 1, 2
ORDER BY 1
