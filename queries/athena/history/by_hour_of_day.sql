{% from "athena/_contacts.sql" import contacts with context %}-- Contacts by hour of day of initiation, in the environment's time zone (the dashboard's): 01 twice as long the night clocks go back, no 01 the night they go forward (Europe/London).
WITH {{ contacts() }}
SELECT lpad(CAST(hour(from_iso8601_timestamp(initiationtimestamp) AT TIME ZONE '{{ timezone }}') AS varchar), 2, '0') AS hour_of_day, count(*) AS contacts
FROM ctr
GROUP BY 1
ORDER BY 1
