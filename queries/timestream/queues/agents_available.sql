{% from "timestream/queues/_selection.sql" import selected with context %}-- Agents available to take a contact (AGENTS_AVAILABLE) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(agents_available), 0) AS agents_available
FROM selected
