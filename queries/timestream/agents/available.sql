{% from "timestream/_latest.sql" import agents with context %}-- Agents online in a routable status with no contact.
WITH {{ agents() }}
SELECT count_if(status_type = 'ROUTABLE' AND contact_count = 0) AS available
FROM agents
