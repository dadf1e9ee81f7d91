{#- Latest-row-per-entity subqueries for the real-time panels, each rendered on one
    line so that line numbers of the queries using them stay those of their files.
    free_slots (needs agents and current_contacts): the slots Connect would route into now, per agent of a
    routable status with no next status pending and no missed, rejected or failed offer to clear; a voice
    contact (ACW included) takes the whole agent, so voice is free only with no contact and chat and task
    only without a voice contact (Connect's default, no cross-channel concurrency).
    contacts: a contact's state is its latest lifecycle event of the last 24 hours (a bound that keeps each 10 s
    refresh to one day of contact events; a task queued longer ago is counted by the collector's CONTACTS_IN_QUEUE
    on the Queues dashboard); CONTACT_DATA_UPDATED (an attribute or a routing step changed, often while queued) is
    no state, so it ranks below every other event. contacts(today=True): only the events of the panel's range
    ($__timeFrom, which the plugin's backend expands with the range of the panel's own relative time now/d: today
    so far, from midnight in the dashboard's time zone), which hold every event from
    QUEUED on of a contact enqueued today, however long the day; `name` names the subquery (a query reading
    both windows names one of them otherwise).
    queue_names, agent_names: the latest name of each queue (from the collector, which writes every minute) and
    username of each agent (from agent events; a logged-in agent sends a heartbeat every 2 minutes) over the last
    15 minutes, so each 10 s refresh reads minutes, not a day, of those tables.
    queue_label (needs contacts c, queue_names q and agent_names qa joined on the agent queue): the queue's name;
    for an agent's own queue (id agent/<agent id>, which the collector does not list) the agent's username and
    "(agent queue)"; else the queue's id, when no name was recorded in the last 15 minutes. -#}
{% macro agents() -%}
agents AS (SELECT * FROM (SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.agent_id ORDER BY s.time DESC) AS latest_rank FROM "{{ timestream_database }}".agent_state s WHERE s.time > ago(15m) AND s.instance_id = ${instance:sqlstring} AND ('__all__' IN ($routing_profile) OR s.routing_profile IN ($routing_profile)) AND ('__all__' IN ($hierarchy_group) OR s.hierarchy_group IN ($hierarchy_group))) WHERE latest_rank = 1 AND status_type <> 'OFFLINE' AND event_type <> 'LOGOUT')
{%- endmacro %}
{% macro queues() -%}
queues AS (SELECT * FROM (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.queue_id, m.channel ORDER BY m.time DESC) AS latest_rank FROM "{{ timestream_database }}".queue_metrics m WHERE m.time > ago(5m) AND m.instance_id = ${instance:sqlstring} AND m.queue_name IN ($queue) AND m.channel IN ($channel)) WHERE latest_rank = 1)
{%- endmacro %}
{% macro contacts(today=False, name="contacts") -%}
{{ name }} AS (SELECT contact_id, max_by(event_type, CASE WHEN event_type = 'CONTACT_DATA_UPDATED' THEN from_milliseconds(0) ELSE time END) AS last_event, max(channel) AS channel, max(queue_id) AS queue_id, max(agent_id) AS agent_id, max(initiated_at) AS initiated_at, max(enqueued_at) AS enqueued_at, max(connected_to_agent_at) AS connected_to_agent_at, max(disconnected_at) AS disconnected_at, max(disconnect_reason) AS disconnect_reason, max(initiation_method) AS initiation_method, max(time) AS last_event_at FROM "{{ timestream_database }}".contact_event WHERE {{ "time >= from_milliseconds($__timeFrom)" if today else "time > ago(1d)" }} AND instance_id = ${instance:sqlstring} AND channel IN ($channel) GROUP BY contact_id HAVING '__all__' IN ($queue) OR max(queue_id) IN (SELECT queue_id FROM "{{ timestream_database }}".queue_metrics WHERE time > ago(15m) AND instance_id = ${instance:sqlstring} AND queue_name IN ($queue)))
{%- endmacro %}
{% macro queue_names() -%}
queue_names AS (SELECT n.queue_id, max_by(n.queue_name, n.time) AS queue_name FROM "{{ timestream_database }}".queue_metrics n WHERE n.time > ago(15m) AND n.instance_id = ${instance:sqlstring} AND n.queue_id <> 'ALL' AND n.queue_name IS NOT NULL GROUP BY n.queue_id)
{%- endmacro %}
{% macro agent_names() -%}
agent_names AS (SELECT n.agent_id, max_by(n.agent_username, n.time) AS agent_username FROM "{{ timestream_database }}".agent_state n WHERE n.time > ago(15m) AND n.instance_id = ${instance:sqlstring} AND n.agent_username IS NOT NULL GROUP BY n.agent_id)
{%- endmacro %}
{% macro queue_label() -%}
coalesce(q.queue_name, qa.agent_username || ' (agent queue)', c.queue_id)
{%- endmacro %}
{% macro free_slots() -%}
free_slots AS (SELECT a.agent_id, CASE WHEN a.contact_count = 0 THEN coalesce(a.voice_slots_available, 0) ELSE 0 END AS voice, CASE WHEN v.agent_id IS NULL THEN coalesce(a.chat_slots_available, 0) ELSE 0 END AS chat, CASE WHEN v.agent_id IS NULL THEN coalesce(a.task_slots_available, 0) ELSE 0 END AS task FROM agents a LEFT JOIN (SELECT DISTINCT agent_id FROM current_contacts WHERE channel = 'VOICE') v ON v.agent_id = a.agent_id WHERE a.status_type = 'ROUTABLE' AND a.next_status_name IS NULL AND a.agent_id NOT IN (SELECT agent_id FROM current_contacts WHERE state IN ('MISSED', 'REJECTED', 'ERROR')))
{%- endmacro %}
{% macro current_contacts() -%}
current_contacts AS (SELECT c.* FROM agents a JOIN "{{ timestream_database }}".agent_contact c ON c.agent_id = a.agent_id AND c.time = a.time WHERE c.time > ago(15m) AND c.instance_id = ${instance:sqlstring})
{%- endmacro %}
