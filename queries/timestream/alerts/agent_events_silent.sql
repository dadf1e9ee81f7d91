-- 1 when no agent event (any type; a logged-in agent sends a heartbeat every 2 minutes) was written in the window while the collector's latest snapshot of the window counts agents online (AGENTS_ONLINE, instance total), else 0 (also when the collector wrote nothing: the collector's own rule reports that).
SELECT now() AS time, CASE WHEN e.events = 0 AND o.online > 0 THEN 1 ELSE 0 END AS silent_while_online
FROM (SELECT count(*) AS events FROM "{{ timestream_database }}".agent_state WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}') e
CROSS JOIN (SELECT max_by(agents_online, time) AS online FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}' AND queue_id = 'ALL') o
