{% from "athena/_contacts.sql" import abandoned, contacts with context %}-- CONTACTS_ABANDONED: queued, never connected to an agent; queued callbacks are not abandons.
WITH {{ contacts(queued=True) }}
SELECT count_if({{ abandoned() }}) AS contacts_abandoned
FROM ctr
