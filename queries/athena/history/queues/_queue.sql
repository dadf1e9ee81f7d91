{#- The queue a supervisor reads: its name, or one "Agent queues" for transfers to an agent's own queue
    (CTRs name no agent queue), as queries/athena/history/volume_by_queue.sql groups them. One line. -#}
{% macro queue_label() -%}
CASE WHEN queue.arn LIKE '%/queue/agent/%' THEN 'Agent queues' ELSE queue.name END
{%- endmacro %}
