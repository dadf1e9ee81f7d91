{% from "athena/_contacts.sql" import contacts with context %}-- AVG_QUEUE_ANSWER_TIME: mean seconds in queue of contacts answered by an agent.
WITH {{ contacts(queued=True) }}
SELECT avg(queue.duration) FILTER (WHERE queue.enqueuetimestamp IS NOT NULL AND agent.connectedtoagenttimestamp IS NOT NULL) AS avg_speed_of_answer
FROM ctr
