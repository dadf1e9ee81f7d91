{% from "timestream/_latest.sql" import queues with context %}-- Every selected queue and channel: the collector's latest GetCurrentMetricData snapshot.
WITH {{ queues() }}
SELECT queue_name AS queue, channel, contacts_in_queue, oldest_contact_age_seconds, agents_online, agents_available,
       agents_on_contact, agents_after_contact_work, agents_staffed, agents_non_productive, agents_error,
       contacts_scheduled, slots_active, slots_available
FROM queues
ORDER BY queue_name, channel
