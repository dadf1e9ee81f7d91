-- Distinct agents seen in each status per 5-minute bin (an agent changing status within a bin counts in both).
SELECT status_name, CREATE_TIME_SERIES(t, agents) AS agents
FROM (
  SELECT bin(time, 5m) AS t, status_name, CAST(count(DISTINCT agent_id) AS DOUBLE) AS agents
  FROM "{{ timestream_database }}".agent_state
  WHERE $__timeFilter
    AND instance_id = ${instance:sqlstring}
    AND status_type <> 'OFFLINE'
    AND ('__all__' IN ($routing_profile) OR routing_profile IN ($routing_profile))
    AND ('__all__' IN ($hierarchy_group) OR hierarchy_group IN ($hierarchy_group))
  GROUP BY bin(time, 5m), status_name
)
GROUP BY status_name
