{% from "athena/_contacts.sql" import abandoned, contacts with context %}-- ABANDONMENT_RATE: abandoned / queued x 100 (100e0, a DOUBLE: 100.0 would be a DECIMAL in Athena, rounded to one place).
WITH {{ contacts(queued=True) }}
SELECT 100e0 * count_if({{ abandoned() }})
       / nullif(count_if(queue.enqueuetimestamp IS NOT NULL), 0) AS abandonment_rate
FROM ctr
