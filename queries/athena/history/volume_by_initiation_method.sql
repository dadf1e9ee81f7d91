{% from "athena/_contacts.sql" import contacts with context %}-- Contacts by initiation method; every contact of the channels selected, queued or not.
WITH {{ contacts(queue_filter=False) }}
SELECT initiationmethod AS initiation_method, count(*) AS contacts
FROM ctr
GROUP BY 1
ORDER BY 2 DESC
