{% from "athena/_contacts.sql" import contacts with context %}-- Contacts by disconnect reason ("UNKNOWN" where Connect recorded none).
WITH {{ contacts() }}
SELECT coalesce(disconnectreason, 'UNKNOWN') AS disconnect_reason, count(*) AS contacts
FROM ctr
GROUP BY 1
ORDER BY 2 DESC
