-- Latest state per agent: one row per agent from its most recent event.
WITH ranked AS (
  SELECT agent_id, agent_username, agent_name, status_name, status_type, status_start, contact_state,
         routing_profile, time,
         ROW_NUMBER() OVER (PARTITION BY agent_id ORDER BY time DESC) AS rn
  FROM "{{ timestream_database }}".agent_state
  WHERE time > ago(1h) AND measure_name = 'agent_state' AND routing_profile IN ($routing_profile)
)
SELECT agent_username AS "Agent", agent_name, status_name,
       CASE WHEN status_type = 'ROUTABLE' THEN 'Available' ELSE status_name END AS shown_status,
       date_diff('second', status_start, now()) AS seconds_in_status
FROM ranked
WHERE rn = 1
ORDER BY agent_username
