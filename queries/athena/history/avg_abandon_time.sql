{% from "athena/_contacts.sql" import contacts with context %}-- AVG_ABANDON_TIME: mean seconds in queue of abandoned contacts.
WITH {{ contacts() }}
SELECT avg(queue.duration) FILTER (WHERE queue.enqueuetimestamp IS NOT NULL AND agent.connectedtoagenttimestamp IS NULL AND initiationmethod <> 'CALLBACK') AS avg_abandon_time
FROM ctr
