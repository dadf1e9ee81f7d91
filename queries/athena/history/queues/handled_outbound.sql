{% from "athena/_contacts.sql" import contacts with context %}-- CONTACTS_HANDLED_OUTBOUND: contacts an agent dialled (InitiationMethod OUTBOUND) connected in the range.
WITH {{ contacts(connected=True) }}
SELECT count_if(initiationmethod = 'OUTBOUND') AS contacts_handled_outbound
FROM ctr
WHERE agent.connectedtoagenttimestamp IS NOT NULL
