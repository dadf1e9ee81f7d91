{% from "timestream/alerts/_snapshot.sql" import per_queue with context %}-- Agents available for each queue (AGENTS_AVAILABLE: Connect would route a contact of the queue to them now), in each of the collector's snapshots of the window: a series per queue (label queue_name).
{{ per_queue("agents_available") }}
