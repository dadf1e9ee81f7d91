{% from "timestream/_latest.sql" import contacts with context %}-- Contacts active now (as in Contacts by state): latest state and its times.
WITH {{ contacts() }}
SELECT contact_id, channel, initiation_method, last_event AS state, queue_id, agent_id,
       initiated_at, enqueued_at, connected_to_agent_at, last_event_at
FROM contacts
WHERE last_event <> 'COMPLETED' AND (last_event = 'QUEUED' OR last_event_at > ago(1h))
  AND NOT (last_event = 'DISCONNECTED' AND connected_to_agent_at IS NULL)
ORDER BY initiated_at DESC, contact_id
