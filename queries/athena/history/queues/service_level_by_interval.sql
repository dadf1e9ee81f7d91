{% from "athena/_contacts.sql" import contacts with context %}{% from "athena/history/queues/_queue.sql" import queue_label %}-- SERVICE_LEVEL per interval (the interval variable) and queue: contacts that entered the queue in the interval and left it within sl_seconds s.
WITH {{ contacts(queued=True) }}
SELECT $__timeGroup(from_iso8601_timestamp(queue.enqueuetimestamp), ${interval:sqlstring}) AS time,
       {{ queue_label() }} AS queue,
       100e0 * count_if(queue.duration <= CAST(${sl_seconds:sqlstring} AS DOUBLE)) / count(*) AS service_level
FROM ctr
WHERE queue.enqueuetimestamp IS NOT NULL
GROUP BY 1, 2
ORDER BY 1
