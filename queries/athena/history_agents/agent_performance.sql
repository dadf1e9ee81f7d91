{% from "athena/_contacts.sql" import contacts with context %}-- One row per agent. CTR columns: contacts connected to the agent in the range (deduplicated CTRs).
-- Agent-event columns: each event's snapshot holds until the agent's next event (clipped to the range); after a
-- LOGOUT the agent is offline until the next LOGIN, whatever later snapshots say. Two events of one agent in the
-- same millisecond are ordered by their snapshots (the one whose state another's PreviousAgentSnapshot repeats
-- came first); a re-delivered event is the same instant and state, so one copy is kept. Online: status not
-- Offline. Non-productive: a custom status. On contact: Available with a contact connected, on hold or in
-- after-contact work. Idle: Available with none of those and none ringing (a missed or
-- rejected one counts as idle, as Connect's error time does). Occupancy: on contact / (on contact + idle).
-- Seconds and rates are DOUBLE: Athena divides a decimal to the larger scale of its operands (one decimal here).
WITH {{ contacts(agent_filter=True, connected=True) }},
handled AS (
  SELECT agent.arn AS agent_arn,
         max(agent.username) AS username,
         count(*) AS handled,
         count_if(initiationmethod IN ('INBOUND', 'TRANSFER', 'QUEUE_TRANSFER')) AS handled_inbound,
         count_if(initiationmethod = 'OUTBOUND') AS handled_outbound,
         avg(agent.agentinteractionduration + agent.customerholdduration + agent.aftercontactworkduration) AS avg_handle_time,
         avg(agent.aftercontactworkduration) AS avg_acw_time,
         avg(agent.customerholdduration) FILTER (WHERE agent.numberofholds > 0) AS avg_hold_time
  FROM ctr
  WHERE agent.connectedtoagenttimestamp IS NOT NULL
  GROUP BY agent.arn
),
delivered AS (
  SELECT agentarn, eventid, eventtype, currentagentsnapshot, previousagentsnapshot,
         from_iso8601_timestamp(eventtimestamp) AS at
  FROM agent_events
  WHERE event_date BETWEEN date_add('day', -1, date($__timeFrom())) AND date($__timeTo())
    AND from_iso8601_timestamp(eventtimestamp) BETWEEN $__timeFrom() - INTERVAL '2' HOUR AND $__timeTo()
    AND split_part(instancearn, '/', 2) = ${instance:sqlstring}
),
events AS (
  SELECT agentarn, eventid, at, currentagentsnapshot AS snap,
         coalesce(currentagentsnapshot.agentstatus.arn, '') || '|' || coalesce(currentagentsnapshot.agentstatus.starttimestamp, '') || '|' || coalesce(array_join(transform(currentagentsnapshot.contacts, c -> c.contactid || ':' || c.state || ':' || coalesce(c.statestarttimestamp, '')), ','), '') AS now_print,
         coalesce(previousagentsnapshot.agentstatus.arn, '') || '|' || coalesce(previousagentsnapshot.agentstatus.starttimestamp, '') || '|' || coalesce(array_join(transform(previousagentsnapshot.contacts, c -> c.contactid || ':' || c.state || ':' || coalesce(c.statestarttimestamp, '')), ','), '') AS before_print,
         max(CASE WHEN eventtype = 'LOGIN' THEN at END) OVER (PARTITION BY agentarn ORDER BY at ROWS UNBOUNDED PRECEDING) AS last_login,
         max(CASE WHEN eventtype = 'LOGOUT' THEN at END) OVER (PARTITION BY agentarn ORDER BY at ROWS UNBOUNDED PRECEDING) AS last_logout
  FROM delivered
),
settled AS (
  SELECT agentarn, eventid, at, snap, last_logout IS NOT NULL AND (last_login IS NULL OR last_logout > last_login) AS logged_out,
         row_number() OVER (PARTITION BY agentarn, at ORDER BY eventid) AS nth
  FROM events e
  WHERE NOT EXISTS (
    SELECT 1 FROM events later
    WHERE later.agentarn = e.agentarn AND later.at = e.at AND later.eventid <> e.eventid
      AND later.before_print = e.now_print AND later.now_print <> e.now_print
  )
),
spans AS (
  SELECT agentarn, at, snap, logged_out,
         greatest(at, $__timeFrom()) AS span_start,
         least(coalesce(lead(at) OVER (PARTITION BY agentarn ORDER BY at), $__timeTo()), $__timeTo()) AS span_end
  FROM settled
  WHERE nth = 1
),
timed AS (
  SELECT agentarn,
         CAST(date_diff('millisecond', span_start, span_end) AS DOUBLE) / 1000 AS seconds,
         NOT logged_out AND snap.agentstatus.type <> 'OFFLINE' AS online,
         NOT logged_out AND snap.agentstatus.type = 'CUSTOM' AS non_productive,
         NOT logged_out AND snap.agentstatus.type = 'ROUTABLE' AS routable,
         cardinality(filter(snap.contacts, c -> c.state IN ('CONNECTED', 'CONNECTED_ONHOLD', 'ENDED', 'PAUSED'))) > 0 AS on_contact,
         cardinality(filter(snap.contacts, c -> c.state IN ('CONNECTING', 'INCOMING', 'PENDING'))) > 0 AS ringing
  FROM spans
  WHERE span_end > span_start
    AND ('__all__' IN ($routing_profile) OR snap.configuration.routingprofile.name IN ($routing_profile))
    AND ('__all__' IN ($hierarchy_group) OR coalesce(snap.configuration.agenthierarchygroups.level5.name, snap.configuration.agenthierarchygroups.level4.name, snap.configuration.agenthierarchygroups.level3.name, snap.configuration.agenthierarchygroups.level2.name, snap.configuration.agenthierarchygroups.level1.name) IN ($hierarchy_group))
),
status_time AS (
  SELECT agentarn,
         coalesce(sum(seconds) FILTER (WHERE online), 0) AS online_time,
         coalesce(sum(seconds) FILTER (WHERE non_productive), 0) AS non_productive_time,
         coalesce(sum(seconds) FILTER (WHERE routable AND on_contact), 0) AS contact_time,
         coalesce(sum(seconds) FILTER (WHERE routable AND NOT on_contact AND NOT ringing), 0) AS idle_time
  FROM timed
  GROUP BY agentarn
),
offered AS (
  SELECT agentarn,
         transform(filter(snap.contacts, c -> c.state IN ('MISSED', 'REJECTED') AND c.initiationmethod <> 'OUTBOUND' AND from_iso8601_timestamp(c.statestarttimestamp) BETWEEN $__timeFrom() AND $__timeTo() AND ('__all__' IN ($queue) OR c.queue.name IN ($queue)) AND (CASE c.channel WHEN 'TASKS' THEN 'TASK' ELSE c.channel END) IN ($channel)), c -> c.contactid || '@' || c.statestarttimestamp) AS missed_keys,
         transform(filter(snap.contacts, c -> c.connectedtoagenttimestamp IS NOT NULL AND c.initiationmethod <> 'OUTBOUND' AND from_iso8601_timestamp(c.connectedtoagenttimestamp) BETWEEN $__timeFrom() AND $__timeTo() AND ('__all__' IN ($queue) OR c.queue.name IN ($queue)) AND (CASE c.channel WHEN 'TASKS' THEN 'TASK' ELSE c.channel END) IN ($channel)), c -> c.contactid) AS answered_keys
  FROM events
  WHERE ('__all__' IN ($routing_profile) OR snap.configuration.routingprofile.name IN ($routing_profile))
    AND ('__all__' IN ($hierarchy_group) OR coalesce(snap.configuration.agenthierarchygroups.level5.name, snap.configuration.agenthierarchygroups.level4.name, snap.configuration.agenthierarchygroups.level3.name, snap.configuration.agenthierarchygroups.level2.name, snap.configuration.agenthierarchygroups.level1.name) IN ($hierarchy_group))
),
offers AS (
  SELECT agentarn,
         cardinality(array_distinct(flatten(array_agg(missed_keys)))) AS missed,
         cardinality(array_distinct(flatten(array_agg(answered_keys)))) AS answered
  FROM offered
  GROUP BY agentarn
),
named AS (
  SELECT agentarn, max_by(snap.configuration.username, at) AS username
  FROM events
  GROUP BY agentarn
)
SELECT coalesce(n.username, h.username) AS agent,
       coalesce(h.handled, 0) AS handled,
       coalesce(h.handled_inbound, 0) AS handled_inbound,
       coalesce(h.handled_outbound, 0) AS handled_outbound,
       h.avg_handle_time,
       h.avg_acw_time,
       h.avg_hold_time,
       100.0 * s.contact_time / nullif(s.contact_time + s.idle_time, 0) AS occupancy,
       100.0 * CAST(o.answered AS DOUBLE) / nullif(o.answered + o.missed, 0) AS answer_rate,
       coalesce(o.missed, 0) AS missed,
       coalesce(s.non_productive_time, 0) AS non_productive_time,
       coalesce(s.idle_time, 0) AS idle_time,
       coalesce(s.contact_time, 0) AS contact_time,
       coalesce(s.online_time, 0) AS online_time
FROM handled h
FULL OUTER JOIN status_time s ON s.agentarn = h.agent_arn
FULL OUTER JOIN offers o ON o.agentarn = coalesce(h.agent_arn, s.agentarn)
LEFT JOIN named n ON n.agentarn = coalesce(h.agent_arn, s.agentarn, o.agentarn)
WHERE h.handled > 0 OR s.online_time > 0 OR o.missed > 0 OR o.answered > 0
ORDER BY agent
