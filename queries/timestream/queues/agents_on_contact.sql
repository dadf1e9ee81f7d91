{% from "timestream/_latest.sql" import queues with context %}-- Agents on a contact (AGENTS_ON_CONTACT). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(agents_on_contact), 0) AS agents_on_contact
FROM queues
