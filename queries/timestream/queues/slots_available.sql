{% from "timestream/_latest.sql" import queues with context %}-- Contact slots free (SLOTS_AVAILABLE). Latest collector snapshot per queue and channel.
WITH {{ queues() }}
SELECT coalesce(sum(slots_available), 0) AS slots_available
FROM queues
