-- Agent events (any type; a logged-in agent sends a heartbeat every 2 minutes) per minute, averaged over the current minute and the {{ alert_thresholds.ingest_silence - 1 }} before it (from the start of the minute {{ alert_thresholds.ingest_silence - 1 }} minutes ago to now), as InfluxQL's moving_average over per-minute counts reads it; no row when no event came in the whole window (the rule's no-data state decides).
SELECT now() AS time, count_if(time >= bin(now(), 1m) - {{ alert_thresholds.ingest_silence - 1 }}m) / {{ alert_thresholds.ingest_silence }}.0 AS events_per_minute
FROM "{{ timestream_database }}".agent_state
WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}'
HAVING count(*) > 0
