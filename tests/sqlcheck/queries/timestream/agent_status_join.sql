-- Agents' latest status joined with their queue's depth; both scans bounded.
SELECT s.agent_username, s.status_name, q.contacts_in_queue
FROM "{{ timestream_database }}".agent_state s
JOIN "{{ timestream_database }}".queue_metrics q ON q.instance_id = s.instance_id
WHERE s.time > ago(5m) AND q.time > ago(5m)
  AND s.time = (SELECT max(time) FROM "{{ timestream_database }}".agent_state i WHERE i.agent_id = s.agent_id AND i.time > ago(5m))
