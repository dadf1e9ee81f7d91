{% from "timestream/_latest.sql" import agents with context %}-- Connect's NPT: agents in a custom status, whether or not they are still on a contact (Online = Staffed + NPT).
WITH {{ agents() }}
SELECT count_if(status_type = 'CUSTOM') AS non_productive
FROM agents
