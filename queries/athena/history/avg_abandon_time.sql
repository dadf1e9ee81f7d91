{% from "athena/_contacts.sql" import abandoned, contacts with context %}-- AVG_ABANDON_TIME: mean seconds in queue of abandoned contacts.
WITH {{ contacts(queued=True) }}
SELECT avg(queue.duration) FILTER (WHERE {{ abandoned() }}) AS avg_abandon_time
FROM ctr
