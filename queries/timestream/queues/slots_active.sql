{% from "timestream/_latest.sql" import queues with context %}-- Contact slots in use (SLOTS_ACTIVE). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(slots_active), 0) AS slots_active
FROM queues
