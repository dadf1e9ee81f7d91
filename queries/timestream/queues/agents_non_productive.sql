{% from "timestream/queues/_selection.sql" import selected with context %}-- Agents in a custom, non-productive status (AGENTS_NON_PRODUCTIVE) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(agents_non_productive), 0) AS agents_non_productive
FROM selected
