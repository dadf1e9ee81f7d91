{% from "timestream/_latest.sql" import agents with context %}-- Online agents by agent status.
WITH {{ agents() }}
SELECT status_name AS status, count(*) AS agents
FROM agents
GROUP BY status_name
ORDER BY agents DESC
