{% from "athena/_contacts.sql" import contacts with context %}-- Contacts by weekday of initiation in the environment's time zone (the dashboard's), Monday first.
WITH {{ contacts() }}
SELECT CAST(day_of_week(from_iso8601_timestamp(initiationtimestamp) AT TIME ZONE '{{ timezone }}') AS varchar) || ' ' || date_format(from_iso8601_timestamp(initiationtimestamp) AT TIME ZONE '{{ timezone }}', '%a') AS weekday, count(*) AS contacts
FROM ctr
GROUP BY 1
ORDER BY 1
