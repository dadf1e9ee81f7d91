{% from "timestream/_latest.sql" import open_contacts with context %}-- Contacts whose latest event in the last 7 days is QUEUED, however long ago, with seconds waited so far.
WITH {{ open_contacts() }}
SELECT contact_id, channel, queue_id, enqueued_at, date_diff('second', enqueued_at, now()) AS seconds_waiting
FROM contacts
WHERE last_event = 'QUEUED'
ORDER BY seconds_waiting DESC
