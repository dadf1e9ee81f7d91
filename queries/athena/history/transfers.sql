{% from "athena/_contacts.sql" import contacts with context %}-- Contacts transferred out: contacts whose transfer to another agent, queue or number completed.
WITH {{ contacts(agent_filter=True) }}
SELECT count_if(transfercompletedtimestamp IS NOT NULL) AS transfers
FROM ctr
