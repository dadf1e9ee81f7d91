{% from "athena/_contacts.sql" import contacts with context %}{% from "athena/history/queues/_queue.sql" import queue_label %}-- Per queue, over callback contacts (InitiationMethod CALLBACK) initiated in the range: CALLBACK_CONTACTS, CALLBACK_CONTACTS_HANDLED
-- (connected to an agent), callback attempts the customer did not answer (never connected to an agent, not expired in the queue)
-- and those of them Connect retried (a next contact: the retry, a callback contact of its own).
WITH {{ contacts() }}
SELECT {{ queue_label() }} AS queue,
       count(*) AS callback_contacts,
       count_if(agent.connectedtoagenttimestamp IS NOT NULL) AS callback_contacts_handled,
       count_if(agent.connectedtoagenttimestamp IS NULL AND queue.dequeuetimestamp IS NOT NULL AND coalesce(disconnectreason, '') <> 'EXPIRED') AS callback_attempts,
       count_if(agent.connectedtoagenttimestamp IS NULL AND queue.dequeuetimestamp IS NOT NULL AND coalesce(disconnectreason, '') <> 'EXPIRED' AND nextcontactid IS NOT NULL) AS callback_retries
FROM ctr
WHERE initiationmethod = 'CALLBACK' AND queue.arn IS NOT NULL
GROUP BY 1
ORDER BY 1
