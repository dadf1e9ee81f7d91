{% from "athena/_contacts.sql" import contacts with context %}-- Contacts per queue (contacts with no queue, e.g. outbound, are not shown).
WITH {{ contacts() }}
SELECT queue.name AS queue, count(*) AS contacts
FROM ctr
WHERE queue.name IS NOT NULL
GROUP BY 1
ORDER BY 2 DESC
