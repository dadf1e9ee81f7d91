{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_QUEUED per hour, by queue: contacts counted in the hour they entered the queue; agent queues (unnamed in CTRs) as one series.
WITH {{ contacts(queued=True) }}
SELECT $__timeGroup(from_iso8601_timestamp(queue.enqueuetimestamp), '1h') AS time, CASE WHEN queue.arn LIKE '%/queue/agent/%' THEN 'Agent queues' ELSE queue.name END AS queue, count(*) AS contacts
FROM ctr
GROUP BY 1, 2
ORDER BY 1
