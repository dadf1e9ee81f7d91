SELECT DISTINCT routing_profile
FROM "{{ timestream_database }}".agent_state
WHERE time > ago(1d)
  AND instance_id = ${instance:sqlstring}
ORDER BY routing_profile
