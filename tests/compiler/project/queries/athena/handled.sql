SELECT count(*) AS handled
FROM {{ ctr_table }}
WHERE $__dateFilter(initiation_date)
  AND queue.duration <= {{ service_level_seconds }}
