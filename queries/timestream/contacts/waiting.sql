{% from "timestream/_latest.sql" import contacts with context %}-- Contacts whose latest event in the last 24 hours is QUEUED, however long ago, with seconds waited so far.
WITH {{ contacts() }}
SELECT contact_id, channel, queue_id, enqueued_at, date_diff('second', enqueued_at, now()) AS seconds_waiting
FROM contacts
WHERE last_event = 'QUEUED'
ORDER BY seconds_waiting DESC
