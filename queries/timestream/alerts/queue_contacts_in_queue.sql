{% from "timestream/alerts/_snapshot.sql" import per_queue with context %}-- Contacts waiting in each queue (all its channels; CONTACTS_IN_QUEUE), in each of the collector's snapshots of the window: a series per queue (label queue_name).
{{ per_queue("contacts_in_queue") }}
