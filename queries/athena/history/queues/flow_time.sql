{% from "athena/_contacts.sql" import contacts with context %}{% from "athena/history/queues/_queue.sql" import queue_label %}-- Per queue: seconds from ConnectedToSystemTimestamp to Queue.EnqueueTimestamp (the flows before the queue) of INBOUND and API
-- contacts that entered the queue in the range; transfers and callbacks have no flow of the customer's before their queue.
WITH {{ contacts(queued=True) }}
SELECT {{ queue_label() }} AS queue,
       count(*) AS contacts,
       avg(date_diff('second', from_iso8601_timestamp(connectedtosystemtimestamp), from_iso8601_timestamp(queue.enqueuetimestamp))) AS avg_flow_time,
       max(date_diff('second', from_iso8601_timestamp(connectedtosystemtimestamp), from_iso8601_timestamp(queue.enqueuetimestamp))) AS max_flow_time
FROM ctr
WHERE queue.enqueuetimestamp IS NOT NULL AND connectedtosystemtimestamp IS NOT NULL AND initiationmethod IN ('INBOUND', 'API')
GROUP BY 1
ORDER BY 1
