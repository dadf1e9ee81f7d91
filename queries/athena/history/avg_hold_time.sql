{% from "athena/_contacts.sql" import contacts with context %}-- AVG_HOLD_TIME: mean customer hold seconds, over contacts put on hold at least once.
WITH {{ contacts(agent_filter=True, connected=True) }}
SELECT avg(agent.customerholdduration) FILTER (WHERE agent.numberofholds > 0) AS avg_hold_time
FROM ctr
