{% from "timestream/_latest.sql" import queues with context %}-- Agents available to take a contact (AGENTS_AVAILABLE). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(agents_available), 0) AS agents_available
FROM queues
