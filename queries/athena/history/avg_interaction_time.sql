{% from "athena/_contacts.sql" import contacts with context %}-- AVG_INTERACTION_TIME: mean agent interaction (talk) seconds, over handled contacts.
WITH {{ contacts(agent_filter=True, connected=True) }}
SELECT avg(agent.agentinteractionduration) FILTER (WHERE agent.connectedtoagenttimestamp IS NOT NULL) AS avg_interaction_time
FROM ctr
