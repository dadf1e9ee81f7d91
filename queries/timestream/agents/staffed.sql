{% from "timestream/_latest.sql" import agents with context %}-- Agents online and not in a custom (non-productive) status.
WITH {{ agents() }}
SELECT count_if(status_type <> 'CUSTOM') AS staffed
FROM agents
