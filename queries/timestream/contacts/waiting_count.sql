{% from "timestream/_latest.sql" import open_contacts with context %}-- Contacts whose latest event in the last 7 days is QUEUED, however long ago.
WITH {{ open_contacts() }}
SELECT count(*) AS waiting
FROM contacts
WHERE last_event = 'QUEUED'
