{% from "timestream/_latest.sql" import queues with context %}-- Contacts in after-contact work (AGENTS_AFTER_CONTACT_WORK). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(agents_after_contact_work), 0) AS agents_after_contact_work
FROM queues
