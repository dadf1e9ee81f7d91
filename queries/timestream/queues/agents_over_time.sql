{% from "timestream/queues/_selection.sql" import selected_per_minute with context %}-- The agent metrics for the selected queues and channels per minute, one series each (rows picked as for the stat panels).
WITH {{ selected_per_minute() }},
sums AS (
  SELECT t, coalesce(sum(agents_online), 0) AS online, coalesce(sum(agents_available), 0) AS available,
         coalesce(sum(agents_on_contact), 0) AS on_contact, coalesce(sum(agents_after_contact_work), 0) AS acw,
         coalesce(sum(agents_staffed), 0) AS staffed, coalesce(sum(agents_non_productive), 0) AS non_productive,
         coalesce(sum(agents_error), 0) AS error
  FROM selected
  GROUP BY t
)
SELECT 'Online' AS metric, CREATE_TIME_SERIES(t, CAST(online AS DOUBLE)) AS agents FROM sums
UNION ALL SELECT 'Available', CREATE_TIME_SERIES(t, CAST(available AS DOUBLE)) FROM sums
UNION ALL SELECT 'On contact', CREATE_TIME_SERIES(t, CAST(on_contact AS DOUBLE)) FROM sums
UNION ALL SELECT 'Contacts in ACW', CREATE_TIME_SERIES(t, CAST(acw AS DOUBLE)) FROM sums
UNION ALL SELECT 'Staffed', CREATE_TIME_SERIES(t, CAST(staffed AS DOUBLE)) FROM sums
UNION ALL SELECT 'Non-productive', CREATE_TIME_SERIES(t, CAST(non_productive AS DOUBLE)) FROM sums
UNION ALL SELECT 'Error', CREATE_TIME_SERIES(t, CAST(error AS DOUBLE)) FROM sums
