{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_HANDLED_INCOMING: inbound, transferred and callback contacts connected to an agent in the range.
WITH {{ contacts(connected=True) }}
SELECT count_if(initiationmethod IN ('INBOUND', 'TRANSFER', 'QUEUE_TRANSFER', 'CALLBACK')) AS contacts_handled_incoming
FROM ctr
WHERE agent.connectedtoagenttimestamp IS NOT NULL
