{% from "athena/_contacts.sql" import contacts with context %}-- Contacts by hour of day (UTC) of initiation.
WITH {{ contacts() }}
SELECT lpad(CAST(hour(from_iso8601_timestamp(initiationtimestamp)) AS varchar), 2, '0') AS hour_of_day, count(*) AS contacts
FROM ctr
GROUP BY 1
ORDER BY 1
