{% from "timestream/_latest.sql" import queues with context %}-- Seconds the longest-waiting contact has been in queue (OLDEST_CONTACT_AGE). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(max(oldest_contact_age_seconds), 0) AS oldest_contact_age
FROM queues
