{% from "timestream/_latest.sql" import contacts with context %}-- Contacts whose latest event is QUEUED (in the last hour).
WITH {{ contacts() }}
SELECT count(*) AS waiting
FROM contacts
WHERE last_event = 'QUEUED' AND last_event_at > ago(1h)
