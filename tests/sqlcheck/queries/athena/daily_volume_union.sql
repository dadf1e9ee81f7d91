-- Daily inbound and outbound volume; both halves of the UNION prune partitions.
SELECT initiation_date AS day, 'inbound' AS direction, count(*) AS contacts
FROM contact_records
WHERE $__dateFilter(initiation_date) AND initiationmethod = 'INBOUND'
GROUP BY initiation_date
UNION ALL
SELECT initiation_date, 'outbound', count(*)
FROM contact_records
WHERE initiation_date >= date(from_iso8601_timestamp('${__from:date:iso}'))
  AND initiation_date <= CAST(date_parse($__rawTimeTo, '%Y-%m-%d %H:%i:%s') AS date)
  AND initiationmethod = 'OUTBOUND'
GROUP BY initiation_date
