{% from "timestream/_latest.sql" import contacts, queue_names, agent_names, queue_label with context %}-- Contacts whose latest event in the last 24 hours is QUEUED, however long ago, with seconds waited so far; queue by name (as in queue_label).
WITH {{ contacts() }}, {{ queue_names() }}, {{ agent_names() }}
SELECT c.contact_id, c.channel, {{ queue_label() }} AS queue, c.enqueued_at,
       date_diff('second', c.enqueued_at, now()) AS seconds_waiting
FROM contacts c LEFT JOIN queue_names q ON q.queue_id = c.queue_id LEFT JOIN agent_names qa ON c.queue_id = 'agent/' || qa.agent_id
WHERE c.last_event = 'QUEUED'
ORDER BY seconds_waiting DESC, c.contact_id
