{% from "timestream/queues/_selection.sql" import selected with context %}-- Seconds the longest-waiting contact of the selected queues and channels has waited (OLDEST_CONTACT_AGE), latest collector snapshot.
WITH {{ selected() }}
SELECT coalesce(max(oldest_contact_age_seconds), 0) AS oldest_contact_age
FROM selected
