{% from "timestream/alerts/_snapshot.sql" import instance with context %}-- Agents in an error state after a missed contact (AGENTS_ERROR), instance total, in each of the collector's snapshots of the window: one series.
{{ instance("agents_error") }}
