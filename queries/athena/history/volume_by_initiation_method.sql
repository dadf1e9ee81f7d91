{% from "athena/_contacts.sql" import contacts with context %}-- Contacts initiated per hour, by initiation method; every contact of the channels selected, queued or not.
WITH {{ contacts(queue_filter=False) }}
SELECT $__timeGroup(from_iso8601_timestamp(initiationtimestamp), '1h') AS time, initiationmethod AS initiation_method, count(*) AS contacts
FROM ctr
GROUP BY 1, 2
ORDER BY 1
