{% from "timestream/queues/_selection.sql" import selected with context %}-- Agents in error: a missed contact (AGENTS_ERROR) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(agents_error), 0) AS agents_error
FROM selected
