{% from "timestream/queues/_selection.sql" import selected with context %}-- Contact slots in use (SLOTS_ACTIVE) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(slots_active), 0) AS slots_active
FROM selected
