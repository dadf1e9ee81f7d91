-- Contacts each agent missed (voice not answered) or rejected, in the dashboard's range.
SELECT agent_username AS agent,
       count(DISTINCT CASE WHEN state = 'MISSED' THEN contact_id END) AS missed,
       count(DISTINCT CASE WHEN state = 'REJECTED' THEN contact_id END) AS rejected
FROM "{{ timestream_database }}".agent_contact
WHERE $__timeFilter
  AND instance_id = '$instance'
  AND state IN ('MISSED', 'REJECTED')
GROUP BY agent_username
ORDER BY missed + rejected DESC
