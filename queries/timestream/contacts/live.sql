{% from "timestream/_latest.sql" import contacts, queue_names, agent_names, queue_label with context %}-- Contacts active now: latest state and its times; queue and agent by name (as in queue_label), an agent by its id when it has no username in the last 15 minutes; seconds since enqueued (until now) for the waiting table. The live table, Contacts by state and Waiting in queue show this one result (Grafana's Dashboard datasource and transformations).
WITH {{ contacts() }}, {{ queue_names() }}, {{ agent_names() }}
SELECT c.contact_id, c.channel, c.initiation_method, c.last_event AS state,
       {{ queue_label() }} AS queue, coalesce(a.agent_username, c.agent_id) AS agent,
       c.initiated_at, c.enqueued_at, c.connected_to_agent_at, c.last_event_at,
       date_diff('second', c.enqueued_at, now()) AS seconds_waiting
FROM contacts c LEFT JOIN queue_names q ON q.queue_id = c.queue_id LEFT JOIN agent_names qa ON c.queue_id = 'agent/' || qa.agent_id
  LEFT JOIN agent_names a ON a.agent_id = c.agent_id
WHERE c.last_event <> 'COMPLETED' AND (c.last_event = 'QUEUED' OR c.last_event_at > ago(1h))
  AND NOT (c.last_event = 'DISCONNECTED' AND c.connected_to_agent_at IS NULL)
ORDER BY c.initiated_at DESC, c.contact_id
