{% from "athena/_contacts.sql" import contacts with context %}-- Per agent: contacts handled, mean handle, ACW and hold (over held contacts) seconds.
WITH {{ contacts(agent_filter=True, connected=True) }}
SELECT agent.username AS agent,
       count(*) AS handled,
       avg(agent.agentinteractionduration + agent.customerholdduration + agent.aftercontactworkduration) AS avg_handle_time,
       avg(agent.aftercontactworkduration) AS avg_acw_time,
       avg(agent.customerholdduration) FILTER (WHERE agent.numberofholds > 0) AS avg_hold_time
FROM ctr
WHERE agent.connectedtoagenttimestamp IS NOT NULL
GROUP BY 1
ORDER BY 2 DESC
