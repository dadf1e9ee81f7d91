{% from "athena/_contacts.sql" import abandoned, contacts with context %}{% from "athena/history/queues/_queue.sql" import queue_label %}-- Per queue, over contacts that entered it in the range: CONTACTS_ANSWERED_IN_X and CONTACTS_ABANDONED_IN_X at X = x_seconds (the variable),
-- the abandons after X, and the abandonment rate with the abandons within X left out of both sides.
WITH {{ contacts(queued=True) }}
SELECT {{ queue_label() }} AS queue,
       count(*) AS contacts_queued,
       count_if(agent.connectedtoagenttimestamp IS NOT NULL AND queue.duration <= CAST(${x_seconds:sqlstring} AS DOUBLE)) AS answered_in_x,
       count_if({{ abandoned() }} AND queue.duration <= CAST(${x_seconds:sqlstring} AS DOUBLE)) AS abandoned_in_x,
       count_if({{ abandoned() }} AND queue.duration > CAST(${x_seconds:sqlstring} AS DOUBLE)) AS abandoned_after_x,
       100e0 * count_if({{ abandoned() }} AND queue.duration > CAST(${x_seconds:sqlstring} AS DOUBLE))
         / nullif(count(*) - count_if({{ abandoned() }} AND queue.duration <= CAST(${x_seconds:sqlstring} AS DOUBLE)), 0) AS abandonment_rate_after_x
FROM ctr
WHERE queue.enqueuetimestamp IS NOT NULL
GROUP BY 1
ORDER BY 1
