{% from "timestream/_latest.sql" import agents, current_contacts, free_slots with context %}-- The stat panels' agent counts in one row, one column each (the panels pick theirs), from each agent's latest snapshot: online (Connect's Online), available (a free slot, free_slots in _latest.sql), on contact (a contact connected, on hold, in ACW, paused, or an outbound call ringing), in after-contact work, non-productive (a custom status), in error (a missed or failed contact), staffed (not a custom status), needing attention (a missed, rejected or failed contact not yet cleared); and Connect's Availability summed per channel (VOICE, CHAT, TASK: the slots Connect would route into now), NULL for a channel not selected, which the slots panel turns into rows.
WITH {{ agents() }}, {{ current_contacts() }}, {{ free_slots() }}
SELECT a.online, f.available, c.on_contact, c.after_contact_work, a.non_productive, c.error, a.staffed, c.needing_attention,
       CASE WHEN 'VOICE' IN ($channel) THEN f.voice END AS "VOICE", CASE WHEN 'CHAT' IN ($channel) THEN f.chat END AS "CHAT", CASE WHEN 'TASK' IN ($channel) THEN f.task END AS "TASK"
FROM (SELECT count(*) AS online, count_if(status_type = 'CUSTOM') AS non_productive, count_if(status_type <> 'CUSTOM') AS staffed FROM agents) a
CROSS JOIN (
  SELECT count(DISTINCT CASE WHEN state IN ('CONNECTED', 'CONNECTED_ONHOLD', 'ENDED', 'PAUSED') OR (state = 'CONNECTING' AND initiation_method = 'OUTBOUND') THEN agent_id END) AS on_contact,
         count(DISTINCT CASE WHEN state = 'ENDED' THEN agent_id END) AS after_contact_work,
         count(DISTINCT CASE WHEN state IN ('MISSED', 'ERROR') THEN agent_id END) AS error,
         count(DISTINCT CASE WHEN state IN ('MISSED', 'REJECTED', 'ERROR') THEN agent_id END) AS needing_attention
  FROM current_contacts
) c
CROSS JOIN (SELECT count_if(voice + chat + task > 0) AS available, coalesce(sum(voice), 0) AS voice, coalesce(sum(chat), 0) AS chat, coalesce(sum(task), 0) AS task FROM free_slots) f
