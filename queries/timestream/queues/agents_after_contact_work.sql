{% from "timestream/queues/_selection.sql" import selected with context %}-- Contacts in after-contact work (AGENTS_AFTER_CONTACT_WORK counts contacts) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(agents_after_contact_work), 0) AS agents_after_contact_work
FROM selected
