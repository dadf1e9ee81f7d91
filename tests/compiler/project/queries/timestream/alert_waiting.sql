-- Contacts waiting per queue in the collector's snapshots of the window.
SELECT time, queue_name, contacts_in_queue
FROM "{{ timestream_database }}".queue_metrics
WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}' AND channel = 'ALL' AND queue_id <> 'ALL'
