{% from "athena/_contacts.sql" import contacts with context %}-- AVG_HANDLE_TIME: mean talk + hold + after-contact work, over handled contacts.
WITH {{ contacts(agent_filter=True, connected=True) }}
SELECT avg(agent.agentinteractionduration + agent.customerholdduration + agent.aftercontactworkduration)
         FILTER (WHERE agent.connectedtoagenttimestamp IS NOT NULL) AS avg_handle_time
FROM ctr
