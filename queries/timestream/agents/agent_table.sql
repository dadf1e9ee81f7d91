{% from "timestream/_latest.sql" import agents, current_contacts with context %}-- Each online agent: status, seconds in it, state and queue of the latest contact in its snapshot, routing profile; a queue selection keeps agents on a contact from it.
WITH {{ agents() }}, {{ current_contacts() }}, latest_contact AS (SELECT agent_id, max_by(queue_name, state_start) AS queue_name FROM current_contacts GROUP BY agent_id)
SELECT a.agent_username AS agent, a.agent_name AS name, a.status_name AS status,
       date_diff('second', a.status_start, now()) AS seconds_in_status,
       a.contact_state, c.queue_name AS queue, a.routing_profile
FROM agents a LEFT JOIN latest_contact c ON a.agent_id = c.agent_id
WHERE '__all__' IN ($queue) OR c.queue_name IN ($queue)
ORDER BY a.agent_username
