{% from "athena/_contacts.sql" import contacts with context %}-- AVG_AFTER_CONTACT_WORK_TIME: mean after-contact-work seconds, over handled contacts.
WITH {{ contacts(agent_filter=True, connected=True) }}
SELECT avg(agent.aftercontactworkduration) FILTER (WHERE agent.connectedtoagenttimestamp IS NOT NULL) AS avg_acw_time
FROM ctr
