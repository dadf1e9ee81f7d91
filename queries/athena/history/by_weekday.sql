{% from "athena/_contacts.sql" import contacts with context %}-- Contacts by weekday (UTC) of initiation, Monday first.
WITH {{ contacts() }}
SELECT CAST(day_of_week(from_iso8601_timestamp(initiationtimestamp)) AS varchar) || ' ' || date_format(from_iso8601_timestamp(initiationtimestamp), '%a') AS weekday, count(*) AS contacts
FROM ctr
GROUP BY 1
ORDER BY 1
