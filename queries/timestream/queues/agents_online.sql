{% from "timestream/queues/_selection.sql" import selected with context %}-- Agents online (AGENTS_ONLINE) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(agents_online), 0) AS agents_online
FROM selected
