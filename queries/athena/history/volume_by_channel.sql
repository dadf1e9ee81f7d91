{% from "athena/_contacts.sql" import contacts with context %}-- Contacts initiated per hour, by channel.
WITH {{ contacts() }}
SELECT $__timeGroup(from_iso8601_timestamp(initiationtimestamp), '1h') AS time, channel, count(*) AS contacts
FROM ctr
GROUP BY 1, 2
ORDER BY 1
