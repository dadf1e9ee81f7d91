{% set hours = opening_hours -%}
-- Contact records (CTRs) for the instance last updated in the window (the rule's hours, of contacts initiated on the window's dates), counted only while the contact centre is open: outside the opening hours no value (NULL), which the rule reads as no data and so as normal.
SELECT CASE WHEN day_of_week(now() AT TIME ZONE '{{ timezone }}') IN ({{ hours.days | join(', ') }}) AND hour(now() AT TIME ZONE '{{ timezone }}') * 60 + minute(now() AT TIME ZONE '{{ timezone }}') BETWEEN {{ hours.start }} AND {{ hours.end - 1 }} THEN count(*) END AS contact_records
FROM {{ ctr_table }}
WHERE $__dateFilter(initiation_date) AND from_iso8601_timestamp(lastupdatetimestamp) BETWEEN $__timeFrom() AND $__timeTo() AND split_part(instancearn, '/', 2) = '{{ connect_instance_id }}'
