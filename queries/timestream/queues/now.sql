{% from "timestream/queues/_selection.sql" import selected with context %}-- Every stat panel's number in one row, one column each (the panels pick theirs): contacts waiting (CONTACTS_IN_QUEUE), the oldest contact's wait (OLDEST_CONTACT_AGE, the largest of the picked rows), the agent and slot counts and callbacks scheduled, for the selected queues and channels, latest collector snapshot (rows picked in _selection.sql).
WITH {{ selected() }}
SELECT coalesce(sum(contacts_in_queue), 0) AS contacts_in_queue,
       coalesce(max(oldest_contact_age_seconds), 0) AS oldest_contact_age,
       coalesce(sum(agents_online), 0) AS agents_online,
       coalesce(sum(agents_available), 0) AS agents_available,
       coalesce(sum(agents_on_contact), 0) AS agents_on_contact,
       coalesce(sum(agents_after_contact_work), 0) AS agents_after_contact_work,
       coalesce(sum(agents_staffed), 0) AS agents_staffed,
       coalesce(sum(agents_non_productive), 0) AS agents_non_productive,
       coalesce(sum(agents_error), 0) AS agents_error,
       coalesce(sum(contacts_scheduled), 0) AS contacts_scheduled,
       coalesce(sum(slots_active), 0) AS slots_active,
       coalesce(sum(slots_available), 0) AS slots_available
FROM selected
