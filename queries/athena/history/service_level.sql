{% from "athena/_contacts.sql" import contacts with context %}-- SERVICE_LEVEL (a DOUBLE: 100.0 would be a DECIMAL in Athena, rounded to one place): % of queued contacts removed from the queue (answered, abandoned or callback) within sl_seconds s (the variable).
WITH {{ contacts(queued=True) }}
SELECT 100e0 * count_if(queue.enqueuetimestamp IS NOT NULL AND queue.duration <= CAST(${sl_seconds:sqlstring} AS DOUBLE))
       / nullif(count_if(queue.enqueuetimestamp IS NOT NULL), 0) AS service_level
FROM ctr
