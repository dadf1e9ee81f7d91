{% from "timestream/queues/_selection.sql" import selected with context %}-- Contacts waiting (CONTACTS_IN_QUEUE) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(contacts_in_queue), 0) AS contacts_in_queue
FROM selected
