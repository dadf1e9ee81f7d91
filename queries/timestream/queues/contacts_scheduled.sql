{% from "timestream/queues/_selection.sql" import selected with context %}-- Callbacks scheduled (CONTACTS_SCHEDULED) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(contacts_scheduled), 0) AS contacts_scheduled
FROM selected
