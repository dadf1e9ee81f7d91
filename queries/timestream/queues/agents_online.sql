{% from "timestream/_latest.sql" import queues with context %}-- Agents online for the selected queues (AGENTS_ONLINE). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(agents_online), 0) AS agents_online
FROM queues
