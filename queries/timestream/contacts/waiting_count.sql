{% from "timestream/_latest.sql" import contacts with context %}-- Contacts whose latest event in the last 24 hours is QUEUED, however long ago.
WITH {{ contacts() }}
SELECT count(*) AS waiting
FROM contacts
WHERE last_event = 'QUEUED'
