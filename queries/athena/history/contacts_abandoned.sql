{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_ABANDONED: queued, never connected to an agent; queued callbacks are not abandons.
WITH {{ contacts() }}
SELECT count_if(queue.enqueuetimestamp IS NOT NULL AND agent.connectedtoagenttimestamp IS NULL AND initiationmethod <> 'CALLBACK') AS contacts_abandoned
FROM ctr
