{% from "timestream/alerts/_snapshot.sql" import instance with context %}-- Agents online (AGENTS_ONLINE: logged in with a status other than Offline), instance total, in each of the collector's snapshots of the window: one series.
{{ instance("agents_online") }}
