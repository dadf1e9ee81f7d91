{% from "timestream/_latest.sql" import queues with context %}-- Contacts waiting in the selected queues (CONTACTS_IN_QUEUE). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(contacts_in_queue), 0) AS contacts_in_queue
FROM queues
