{#- per_queue(field): the collector's snapshots of the rule's window for each queue (channel ALL: all its channels),
    one series per queue labelled queue_name, whose last point is the latest snapshot; instance(field): the same for
    the instance total (queue_id ALL), one unlabelled series. Alert queries read no dashboard variable: Grafana's
    alerting has none, so the instance is the environment's. -#}
{% macro per_queue(field) -%}
SELECT time, queue_name, {{ field }} FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}' AND channel = 'ALL' AND queue_id <> 'ALL' ORDER BY time
{%- endmacro %}
{% macro instance(field) -%}
SELECT time, {{ field }} FROM "{{ timestream_database }}".queue_metrics WHERE $__timeFilter AND instance_id = '{{ connect_instance_id }}' AND queue_id = 'ALL' ORDER BY time
{%- endmacro %}
