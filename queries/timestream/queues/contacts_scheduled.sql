{% from "timestream/_latest.sql" import queues with context %}-- Callbacks scheduled (CONTACTS_SCHEDULED). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(contacts_scheduled), 0) AS contacts_scheduled
FROM queues
