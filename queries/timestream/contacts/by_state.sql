{% from "timestream/_latest.sql" import contacts with context %}-- Contacts active now (no COMPLETED event, an event in the last hour) by their latest event.
WITH {{ contacts() }}
SELECT last_event AS state, count(*) AS contacts
FROM contacts
WHERE last_event <> 'COMPLETED' AND last_event_at > ago(1h)
GROUP BY last_event
ORDER BY contacts DESC
