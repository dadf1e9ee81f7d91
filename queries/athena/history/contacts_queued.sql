{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_QUEUED: contacts that entered a queue in the range (queue metrics are counted by enqueue time).
WITH {{ contacts(queued=True) }}
SELECT count_if(queue.enqueuetimestamp IS NOT NULL) AS contacts_queued
FROM ctr
