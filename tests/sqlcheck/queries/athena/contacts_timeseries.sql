-- Contacts per hour, bucketed by the time-group macro, partitions from the raw range.
SELECT $__timeGroup(from_iso8601_timestamp(initiationtimestamp), '1h') AS time,
       count(DISTINCT contactid) AS contacts
FROM {{ athena_database }}.{{ ctr_table }}
WHERE initiation_date BETWEEN date $__rawTimeFrom('yyyy-MM-dd') AND date $__rawTimeTo('yyyy-MM-dd')
  AND $__timeFilter(from_iso8601_timestamp(initiationtimestamp))
GROUP BY 1
ORDER BY 1
