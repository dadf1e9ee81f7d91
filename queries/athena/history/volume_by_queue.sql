{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_QUEUED per hour, by queue: contacts counted in the hour they entered the queue.
WITH {{ contacts(queued=True) }}
SELECT $__timeGroup(from_iso8601_timestamp(queue.enqueuetimestamp), '1h') AS time, queue.name AS queue, count(*) AS contacts
FROM ctr
GROUP BY 1, 2
ORDER BY 1
