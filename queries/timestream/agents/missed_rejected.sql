-- Contacts each agent missed (voice not answered) or rejected in the range; routing profile and hierarchy group as the agent had them then.
WITH failed AS (
  SELECT agent_id, agent_username, contact_id, state, time
  FROM "{{ timestream_database }}".agent_contact
  WHERE $__timeFilter
    AND instance_id = ${instance:sqlstring}
    AND state IN ('MISSED', 'REJECTED')
    AND channel IN ($channel)
    AND ('__all__' IN ($queue) OR queue_name IN ($queue))
), agents AS (
  SELECT agent_id, time
  FROM "{{ timestream_database }}".agent_state
  WHERE $__timeFilter
    AND instance_id = ${instance:sqlstring}
    AND ('__all__' IN ($routing_profile) OR routing_profile IN ($routing_profile))
    AND ('__all__' IN ($hierarchy_group) OR hierarchy_group IN ($hierarchy_group))
)
SELECT f.agent_username AS agent,
       count(DISTINCT CASE WHEN f.state = 'MISSED' THEN f.contact_id END) AS missed,
       count(DISTINCT CASE WHEN f.state = 'REJECTED' THEN f.contact_id END) AS rejected
FROM failed f JOIN agents a ON a.agent_id = f.agent_id AND a.time = f.time
GROUP BY f.agent_username
ORDER BY missed + rejected DESC, agent
