{% from "timestream/queues/_selection.sql" import selected with context %}-- Contact slots free (SLOTS_AVAILABLE) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(slots_available), 0) AS slots_available
FROM selected
