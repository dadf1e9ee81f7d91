{% from "athena/_contacts.sql" import contacts with context %}-- Contacts queued: contacts that entered a queue.
WITH {{ contacts() }}
SELECT count_if(queue.enqueuetimestamp IS NOT NULL) AS contacts_queued
FROM ctr
