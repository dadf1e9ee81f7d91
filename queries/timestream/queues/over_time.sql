{% from "timestream/queues/_selection.sql" import selected_per_minute with context %}-- Every over-time panel's numbers per minute in one table (the panels pick theirs with Grafana transformations): per selected queue (queue_name), contacts waiting and callbacks scheduled summed and the oldest contact's wait the largest over the selected channels' rows; and for the selection as a whole (no queue_name), the agent and slot metrics of the rows picked as for the stat panels (_selection.sql). By queue name (the selection last), then minute.
WITH {{ selected_per_minute() }},
per_queue AS (
  SELECT t, queue_name,
         CAST(coalesce(sum(contacts_in_queue), 0) AS DOUBLE) AS contacts_in_queue,
         CAST(coalesce(max(oldest_contact_age_seconds), 0) AS DOUBLE) AS oldest_contact_age_seconds,
         CAST(coalesce(sum(contacts_scheduled), 0) AS DOUBLE) AS contacts_scheduled
  FROM minutes
  WHERE queue_name IN ($queue)
    AND channel IN ($channel)
  GROUP BY t, queue_name
),
sums AS (
  SELECT t, CAST(coalesce(sum(agents_online), 0) AS DOUBLE) AS agents_online,
         CAST(coalesce(sum(agents_available), 0) AS DOUBLE) AS agents_available,
         CAST(coalesce(sum(agents_on_contact), 0) AS DOUBLE) AS agents_on_contact,
         CAST(coalesce(sum(agents_after_contact_work), 0) AS DOUBLE) AS agents_after_contact_work,
         CAST(coalesce(sum(agents_staffed), 0) AS DOUBLE) AS agents_staffed,
         CAST(coalesce(sum(agents_non_productive), 0) AS DOUBLE) AS agents_non_productive,
         CAST(coalesce(sum(agents_error), 0) AS DOUBLE) AS agents_error,
         CAST(coalesce(sum(slots_active), 0) AS DOUBLE) AS slots_active,
         CAST(coalesce(sum(slots_available), 0) AS DOUBLE) AS slots_available
  FROM selected
  GROUP BY t
)
SELECT "Time", queue_name, contacts_in_queue, oldest_contact_age_seconds, contacts_scheduled, agents_online,
       agents_available, agents_on_contact, agents_after_contact_work, agents_staffed, agents_non_productive,
       agents_error, slots_active, slots_available
FROM (
  SELECT t AS "Time", queue_name, contacts_in_queue, oldest_contact_age_seconds, contacts_scheduled,
         CAST(NULL AS DOUBLE) AS agents_online, CAST(NULL AS DOUBLE) AS agents_available,
         CAST(NULL AS DOUBLE) AS agents_on_contact, CAST(NULL AS DOUBLE) AS agents_after_contact_work,
         CAST(NULL AS DOUBLE) AS agents_staffed, CAST(NULL AS DOUBLE) AS agents_non_productive,
         CAST(NULL AS DOUBLE) AS agents_error, CAST(NULL AS DOUBLE) AS slots_active,
         CAST(NULL AS DOUBLE) AS slots_available
  FROM per_queue
  UNION ALL
  SELECT t, CAST(NULL AS VARCHAR), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), CAST(NULL AS DOUBLE), agents_online, agents_available,
         agents_on_contact, agents_after_contact_work, agents_staffed, agents_non_productive, agents_error,
         slots_active, slots_available
  FROM sums
) per_minute
ORDER BY queue_name NULLS LAST, "Time"
