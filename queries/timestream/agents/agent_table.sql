{% from "timestream/_latest.sql" import agents with context %}-- Each online agent: status, seconds in it, latest contact state and queue, routing profile.
WITH {{ agents() }}, last_contact AS (SELECT agent_id, max_by(queue_name, time) AS queue_name FROM "{{ timestream_database }}".agent_contact WHERE time > ago(15m) AND instance_id = '$instance' GROUP BY agent_id)
SELECT a.agent_username AS agent, a.agent_name AS name, a.status_name AS status,
       date_diff('second', a.status_start, now()) AS seconds_in_status,
       a.contact_state, c.queue_name AS queue, a.routing_profile
FROM agents a LEFT JOIN last_contact c ON a.agent_id = c.agent_id
ORDER BY a.agent_username
