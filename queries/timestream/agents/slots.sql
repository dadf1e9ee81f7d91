{% from "timestream/_latest.sql" import agents, current_contacts, free_slots with context %}-- Connect's Availability summed: the slots Connect would route into now (free_slots in _latest.sql), one row per selected channel (EMAIL has no slots in agent events).
WITH {{ agents() }}, {{ current_contacts() }}, {{ free_slots() }}
SELECT channel, slots
FROM (
  SELECT 'VOICE' AS channel, coalesce(sum(voice), 0) AS slots FROM free_slots
  UNION ALL
  SELECT 'CHAT' AS channel, coalesce(sum(chat), 0) AS slots FROM free_slots
  UNION ALL
  SELECT 'TASK' AS channel, coalesce(sum(task), 0) AS slots FROM free_slots
) per_channel
WHERE channel IN ($channel)
ORDER BY channel
