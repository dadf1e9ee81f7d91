-- Handled and abandoned contacts per queue over deduplicated CTRs (latest lastupdatetimestamp per contactid).
WITH latest AS (
  SELECT *,
         row_number() OVER (PARTITION BY contactid ORDER BY from_iso8601_timestamp(lastupdatetimestamp) DESC) AS rn
  FROM "{{ athena_catalog }}"."{{ athena_database }}"."{{ ctr_table }}"
  WHERE $__dateFilter(initiation_date)
)
SELECT queue.name AS queue,
       count_if(agent.connectedtoagenttimestamp IS NOT NULL) AS handled,
       count_if(queue.enqueuetimestamp IS NOT NULL AND agent.connectedtoagenttimestamp IS NULL) AS abandoned
FROM latest
WHERE rn = 1 AND channel IN ($channel)
GROUP BY queue.name
ORDER BY handled DESC
