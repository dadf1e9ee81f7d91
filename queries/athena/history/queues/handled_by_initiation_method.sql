{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_HANDLED by initiation method: contacts connected to an agent in the range, queued or not.
WITH {{ contacts(connected=True) }}
SELECT initiationmethod AS initiation_method, count(*) AS contacts_handled
FROM ctr
WHERE agent.connectedtoagenttimestamp IS NOT NULL
GROUP BY 1
ORDER BY 2 DESC
