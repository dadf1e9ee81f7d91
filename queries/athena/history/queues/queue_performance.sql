{% from "athena/_contacts.sql" import abandoned, contacts with context %}{% from "athena/history/queues/_queue.sql" import queue_label %}-- One row per queue. Queue metrics over contacts that entered the queue in the range (CONTACTS_QUEUED,
-- CONTACTS_ABANDONED, ABANDONMENT_RATE, SERVICE_LEVEL at each threshold, AVG_QUEUE_ANSWER_TIME, average and MAX_QUEUED_TIME);
-- CONTACTS_HANDLED and AVG_HANDLE_TIME over contacts connected to an agent in the range, by the queue in their record.
WITH {{ contacts(queued=True) }}, {{ contacts(connected=True, name='answered') }},
queued AS (
    SELECT {{ queue_label() }} AS queue,
           count(*) AS contacts_queued,
           count_if({{ abandoned() }}) AS contacts_abandoned,
           100e0 * count_if({{ abandoned() }}) / count(*) AS abandonment_rate,
{%- for seconds in (15, 20, 30, 60, 90, 120) %}
           100e0 * count_if(queue.duration <= {{ seconds }}) / count(*) AS service_level_{{ seconds }},
{%- endfor %}
           avg(queue.duration) FILTER (WHERE agent.connectedtoagenttimestamp IS NOT NULL) AS avg_speed_of_answer,
           avg(queue.duration) AS avg_queued_time,
           max(queue.duration) AS max_queued_time
    FROM ctr
    WHERE queue.enqueuetimestamp IS NOT NULL
    GROUP BY 1
),
handled AS (
    SELECT {{ queue_label() }} AS queue,
           count(*) AS contacts_handled,
           avg(agent.agentinteractionduration + agent.customerholdduration + agent.aftercontactworkduration) AS avg_handle_time
    FROM answered
    WHERE agent.connectedtoagenttimestamp IS NOT NULL AND queue.arn IS NOT NULL
    GROUP BY 1
)
SELECT coalesce(q.queue, h.queue) AS queue,
       coalesce(q.contacts_queued, 0) AS contacts_queued,
       coalesce(h.contacts_handled, 0) AS contacts_handled,
       coalesce(q.contacts_abandoned, 0) AS contacts_abandoned,
       q.abandonment_rate,
{%- for seconds in (15, 20, 30, 60, 90, 120) %}
       q.service_level_{{ seconds }},
{%- endfor %}
       q.avg_speed_of_answer,
       h.avg_handle_time,
       q.avg_queued_time,
       q.max_queued_time
FROM queued q
FULL OUTER JOIN handled h ON q.queue = h.queue
ORDER BY 1
