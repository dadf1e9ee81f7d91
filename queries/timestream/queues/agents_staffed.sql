{% from "timestream/_latest.sql" import queues with context %}-- Agents online and not in non-productive time (AGENTS_STAFFED). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(agents_staffed), 0) AS agents_staffed
FROM queues
