{% from "timestream/_latest.sql" import contacts with context %}-- Contacts whose latest event is QUEUED (in the last hour), with seconds waited so far.
WITH {{ contacts() }}
SELECT contact_id, channel, queue_id, enqueued_at, date_diff('second', enqueued_at, now()) AS seconds_waiting
FROM contacts
WHERE last_event = 'QUEUED' AND last_event_at > ago(1h)
ORDER BY seconds_waiting DESC
