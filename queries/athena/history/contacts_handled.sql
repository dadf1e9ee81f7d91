{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_HANDLED: contacts connected to an agent.
WITH {{ contacts(agent_filter=True, connected=True) }}
SELECT count_if(agent.connectedtoagenttimestamp IS NOT NULL) AS contacts_handled
FROM ctr
