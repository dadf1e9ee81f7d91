{% from "timestream/alerts/_snapshot.sql" import per_queue with context %}-- Seconds the longest-waiting contact of each queue (all its channels) has waited (OLDEST_CONTACT_AGE), in each of the collector's snapshots of the window: a series per queue (label queue_name).
{{ per_queue("oldest_contact_age_seconds") }}
