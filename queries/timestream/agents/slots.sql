{% from "timestream/_latest.sql" import agents with context %}-- Available contact slots of online agents in a routable status, per channel.
WITH {{ agents() }}
SELECT coalesce(sum(voice_slots_available), 0) AS voice, coalesce(sum(chat_slots_available), 0) AS chat, coalesce(sum(task_slots_available), 0) AS task
FROM agents
WHERE status_type = 'ROUTABLE'
