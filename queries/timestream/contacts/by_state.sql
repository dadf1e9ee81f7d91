{% from "timestream/_latest.sql" import contacts with context %}-- Contacts active now by their latest event: queued (in the last 24 hours, however long ago) or an event in the last hour, no COMPLETED event, and not disconnected without reaching an agent (those are over; a disconnected contact that reached one is in after-contact work).
WITH {{ contacts() }}
SELECT last_event AS state, count(*) AS contacts
FROM contacts
WHERE last_event <> 'COMPLETED' AND (last_event = 'QUEUED' OR last_event_at > ago(1h))
  AND NOT (last_event = 'DISCONNECTED' AND connected_to_agent_at IS NULL)
GROUP BY last_event
ORDER BY contacts DESC, state
