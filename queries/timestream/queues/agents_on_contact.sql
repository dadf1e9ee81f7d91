{% from "timestream/queues/_selection.sql" import selected with context %}-- Agents on a contact (AGENTS_ON_CONTACT) for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(agents_on_contact), 0) AS agents_on_contact
FROM selected
