{% from "timestream/queues/_selection.sql" import selected with context %}-- Agents online and not in non-productive time (AGENTS_STAFFED) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(agents_staffed), 0) AS agents_staffed
FROM selected
