{% from "timestream/queues/_selection.sql" import selected_per_minute with context %}-- Contact slots in use and free for the selected queues and channels per minute (rows picked as for the stat panels).
WITH {{ selected_per_minute() }},
sums AS (SELECT t, coalesce(sum(slots_active), 0) AS active, coalesce(sum(slots_available), 0) AS available FROM selected GROUP BY t)
SELECT 'Active' AS metric, CREATE_TIME_SERIES(t, CAST(active AS DOUBLE)) AS slots FROM sums
UNION ALL SELECT 'Available', CREATE_TIME_SERIES(t, CAST(available AS DOUBLE)) FROM sums
