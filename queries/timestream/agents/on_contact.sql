{% from "timestream/_latest.sql" import agents, current_contacts with context %}-- Connect's On contact: agents with at least one contact connected, on hold, in after-contact work, paused, or an outbound call ringing (an inbound offer ringing is Incoming, not on contact).
WITH {{ agents() }}, {{ current_contacts() }}
SELECT count(DISTINCT agent_id) AS on_contact
FROM current_contacts
WHERE state IN ('CONNECTED', 'CONNECTED_ONHOLD', 'ENDED', 'PAUSED')
   OR (state = 'CONNECTING' AND initiation_method = 'OUTBOUND')
