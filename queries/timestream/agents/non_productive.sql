{% from "timestream/_latest.sql" import agents with context %}-- Agents in a custom (non-productive) status with no contact.
WITH {{ agents() }}
SELECT count_if(status_type = 'CUSTOM' AND contact_count = 0) AS non_productive
FROM agents
