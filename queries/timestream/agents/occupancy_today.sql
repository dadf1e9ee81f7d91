-- Each agent with on contact or idle time today (since midnight in the dashboard's time zone: the panel's range from $__timeFrom), of the selected routing profiles and hierarchy groups: Connect's on contact time (SUM_CONTACT_TIME_AGENT: in a routable status with a contact connected, on hold, in ACW, paused or an outbound call ringing), idle time (SUM_IDLE_TIME_AGENT: in a routable status with no contact, or only missed, rejected or failed ones; not while an offer rings) and occupancy (AGENT_OCCUPANCY: on contact / (on contact + idle) x 100). Each state lasts until the agent's next event, so the day runs from the agent's first event today to its latest (a logged-in agent sends one at least every 2 minutes), as InfluxQL can count it. Times are the events' milliseconds (the store adds a sub-millisecond offset to tell one agent's events apart, in no order): events of one agent in one millisecond count as one state, on contact if any is, idle only if all are.
WITH states AS (
  SELECT agent_id, max(agent_username) AS agent_username, date_trunc('millisecond', time) AS at,
         max(CASE WHEN status_type = 'ROUTABLE' AND contacts_on_contact > 0 THEN 1 ELSE 0 END) AS on_contact,
         min(CASE WHEN status_type = 'ROUTABLE' AND contacts_on_contact = 0 AND contact_count = contacts_blocking THEN 1 ELSE 0 END) AS idle
  FROM "{{ timestream_database }}".agent_state
  WHERE time >= from_milliseconds($__timeFrom) AND time <= now() AND instance_id = ${instance:sqlstring}
    AND ('__all__' IN ($routing_profile) OR routing_profile IN ($routing_profile))
    AND ('__all__' IN ($hierarchy_group) OR hierarchy_group IN ($hierarchy_group))
  GROUP BY agent_id, date_trunc('millisecond', time)
),
times AS (
  SELECT max(agent_username) AS agent, sum(on_contact * lasted) / 1000.0 AS contact_time, sum(idle * lasted) / 1000.0 AS idle_time
  FROM (SELECT *, date_diff('millisecond', at, lead(at) OVER (PARTITION BY agent_id ORDER BY at)) AS lasted FROM states)
  GROUP BY agent_id
)
SELECT agent, contact_time, idle_time, 100.0 * contact_time / nullif(contact_time + idle_time, 0) AS occupancy
FROM times
WHERE contact_time + idle_time > 0
ORDER BY agent
