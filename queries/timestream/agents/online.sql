{% from "timestream/_latest.sql" import agents with context %}-- Agents logged in (any status but Offline) in their latest event of the last 15 minutes.
WITH {{ agents() }}
SELECT count(*) AS online
FROM agents
