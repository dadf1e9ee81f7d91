{#- The one definition of "contacts in the dashboard's range": CTRs deduplicated by
    contactid (latest lastupdatetimestamp wins), scanning only the partitions of the
    range, then filtered by initiation time, channel and queue. Agent metrics
    (agent_filter=True) also keep only contacts handled by an agent of the routing profile
    and hierarchy group selected (the deepest level set, as the agent events name it); "All"
    is a sentinel so contacts no agent handled stay in. Queue metrics
    (queued=True) count a contact in the range it entered the queue (Connect's "Contacts
    queued (enqueue timestamp)"); handled-contact metrics (connected=True) in the range it
    was connected to an agent (Connect's "Contacts handled (connected to agent timestamp)").
    Either may have been initiated the day before, so that day's partition is read too.
    `name` names the CTE, so one query can read two sets (queued and connected) side by side.
    Rendered on one line so that line numbers in the queries that use it stay those of
    their files. -#}
{#- CONTACTS_ABANDONED: the shared rule (queries/_abandoned.sql), over contacts that entered a queue and
    did not go on as a next contact (a queued callback or a transfer), which only the CTR records. -#}
{% from "_abandoned.sql" import left_queue_unanswered %}
{% macro abandoned() -%}
queue.enqueuetimestamp IS NOT NULL AND nextcontactid IS NULL AND {{ left_queue_unanswered('agent.connectedtoagenttimestamp', 'initiationmethod', 'disconnectreason') }}
{%- endmacro %}
{% macro contacts(queue_filter=True, queued=False, agent_filter=False, connected=False, name='ctr') -%}
{{ name }} AS (SELECT * FROM (SELECT c.*, row_number() OVER (PARTITION BY c.contactid ORDER BY from_iso8601_timestamp(c.lastupdatetimestamp) DESC) AS dedup_rank FROM {{ ctr_table }} c WHERE {% if queued or connected %}initiation_date BETWEEN date_add('day', -1, date($__timeFrom())) AND date($__timeTo()){% else %}$__dateFilter(initiation_date){% endif %}) WHERE dedup_rank = 1 AND from_iso8601_timestamp({{ 'queue.enqueuetimestamp' if queued else 'agent.connectedtoagenttimestamp' if connected else 'initiationtimestamp' }}) BETWEEN $__timeFrom() AND $__timeTo() AND split_part(instancearn, '/', 2) = ${instance:sqlstring} AND channel IN ($channel){% if queue_filter %} AND ('__all__' IN ($queue) OR queue.name IN ($queue)){% endif %}{% if agent_filter %} AND ('__all__' IN ($routing_profile) OR agent.routingprofile.name IN ($routing_profile)) AND ('__all__' IN ($hierarchy_group) OR coalesce(agent.hierarchygroups.level5.groupname, agent.hierarchygroups.level4.groupname, agent.hierarchygroups.level3.groupname, agent.hierarchygroups.level2.groupname, agent.hierarchygroups.level1.groupname) IN ($hierarchy_group)){% endif %})
{%- endmacro %}
