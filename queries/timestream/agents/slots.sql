{% from "timestream/_latest.sql" import agents with context %}-- Available contact slots of online agents in a routable status, one row per selected channel (EMAIL has no slots in agent events).
WITH {{ agents() }}
SELECT channel, slots
FROM (
  SELECT 'VOICE' AS channel, coalesce(sum(voice_slots_available), 0) AS slots FROM agents WHERE status_type = 'ROUTABLE'
  UNION ALL
  SELECT 'CHAT' AS channel, coalesce(sum(chat_slots_available), 0) AS slots FROM agents WHERE status_type = 'ROUTABLE'
  UNION ALL
  SELECT 'TASK' AS channel, coalesce(sum(task_slots_available), 0) AS slots FROM agents WHERE status_type = 'ROUTABLE'
) per_channel
WHERE channel IN ($channel)
ORDER BY channel
