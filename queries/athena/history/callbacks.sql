{% from "athena/_contacts.sql" import contacts with context %}-- Callback contacts: contacts initiated by a queued callback.
WITH {{ contacts() }}
SELECT count_if(initiationmethod = 'CALLBACK') AS callbacks
FROM ctr
