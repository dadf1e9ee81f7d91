{% from "timestream/_latest.sql" import agents, current_contacts, free_slots with context %}-- One row per online agent, which the Agents dashboard's table, counts, status summary and slots panels all read (the table and the counts from one query): username, name, status and seconds in it, state and queue of the latest contact in the agent's snapshot, routing profile; in_selected_queues 1 when that queue is selected (or All), for the table; agents 1, which the counts sum; status_type; the snapshot's contacts on contact (connected, on hold, in ACW, paused, or an outbound call ringing), in ACW, missed or in error, and blocking (missed, rejected or in error); free_slots over every channel (Connect's Available: more than 0) and per selected channel (VOICE, CHAT, TASK: NULL for one not selected). Last, one row of zeros with no agent (in_selected_queues 0, no status), so that the counts read 0, not "No data", when no agent is online.
WITH {{ agents() }}, {{ current_contacts() }}, {{ free_slots() }},
latest_contact AS (SELECT agent_id, max_by(queue_name, state_start) AS queue_name FROM current_contacts GROUP BY agent_id),
contact_counts AS (
  SELECT agent_id,
         count(DISTINCT CASE WHEN state IN ('CONNECTED', 'CONNECTED_ONHOLD', 'ENDED', 'PAUSED') OR (state = 'CONNECTING' AND initiation_method = 'OUTBOUND') THEN contact_id END) AS contacts_on_contact,
         count(DISTINCT CASE WHEN state = 'ENDED' THEN contact_id END) AS contacts_after_contact_work,
         count(DISTINCT CASE WHEN state IN ('MISSED', 'ERROR') THEN contact_id END) AS contacts_error,
         count(DISTINCT CASE WHEN state IN ('MISSED', 'REJECTED', 'ERROR') THEN contact_id END) AS contacts_blocking
  FROM current_contacts GROUP BY agent_id
)
SELECT a.agent_username AS agent, a.agent_name AS name, a.status_name AS status,
       date_diff('second', a.status_start, now()) AS seconds_in_status,
       a.contact_state, c.queue_name AS queue, a.routing_profile,
       CASE WHEN '__all__' IN ($queue) OR c.queue_name IN ($queue) THEN 1 ELSE 0 END AS in_selected_queues,
       1 AS agents, a.status_type,
       coalesce(n.contacts_on_contact, 0) AS contacts_on_contact, coalesce(n.contacts_after_contact_work, 0) AS contacts_after_contact_work,
       coalesce(n.contacts_error, 0) AS contacts_error, coalesce(n.contacts_blocking, 0) AS contacts_blocking,
       coalesce(f.voice + f.chat + f.task, 0) AS free_slots,
       CASE WHEN 'VOICE' IN ($channel) THEN coalesce(f.voice, 0) END AS "VOICE", CASE WHEN 'CHAT' IN ($channel) THEN coalesce(f.chat, 0) END AS "CHAT", CASE WHEN 'TASK' IN ($channel) THEN coalesce(f.task, 0) END AS "TASK"
FROM agents a LEFT JOIN latest_contact c ON a.agent_id = c.agent_id LEFT JOIN contact_counts n ON a.agent_id = n.agent_id LEFT JOIN free_slots f ON a.agent_id = f.agent_id
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, NULL, 0, 0, 0, 0, 0,
       CASE WHEN 'VOICE' IN ($channel) THEN 0 END, CASE WHEN 'CHAT' IN ($channel) THEN 0 END, CASE WHEN 'TASK' IN ($channel) THEN 0 END
ORDER BY agent
