{% from "timestream/queues/_selection.sql" import selected_per_minute with context %}-- The agent metrics for the selected queues and channels per minute, one series each (rows picked as for the stat panels).
WITH {{ selected_per_minute() }},
sums AS (
  SELECT t, sum(agents_online) AS online, sum(agents_available) AS available, sum(agents_on_contact) AS on_contact,
         sum(agents_after_contact_work) AS acw, sum(agents_staffed) AS staffed,
         sum(agents_non_productive) AS non_productive, sum(agents_error) AS error
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
