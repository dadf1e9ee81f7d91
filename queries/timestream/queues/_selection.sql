{#- The queue_metrics rows that answer the dashboard's queue and channel selection, each macro on one line
    so that line numbers of the queries using them stay those of their files. An agent serves several queues
    and channels, and Connect counts each agent once only within one result, so the scope picks the row
    that matches: every queue and channel -> the instance row (queue_id ALL); every channel -> each selected
    queue's row (channel ALL); otherwise each selected queue and channel row. Summing the picked rows is then
    exact for one queue or for all, and counts an agent once per row for several queues or channels. -#}
{% macro scope_of(rows, by) -%}
SELECT {{ by ~ ", " if by else "" }}CASE WHEN NOT ('VOICE' IN ($channel) AND 'CHAT' IN ($channel) AND 'TASK' IN ($channel)) THEN 'channel' WHEN sum(CASE WHEN queue_id = 'ALL' THEN 1 ELSE 0 END) > 0 AND count(DISTINCT CASE WHEN queue_id <> 'ALL' AND channel = 'ALL' THEN queue_id END) = count(DISTINCT CASE WHEN queue_id <> 'ALL' AND channel = 'ALL' AND queue_name IN ($queue) THEN queue_id END) THEN 'instance' ELSE 'queue' END AS scope FROM {{ rows }}{{ " GROUP BY " ~ by if by else "" }}
{%- endmacro %}
{% macro picked(r, s) -%}
(({{ s }}.scope = 'instance' AND {{ r }}.queue_id = 'ALL') OR ({{ s }}.scope = 'queue' AND {{ r }}.channel = 'ALL' AND {{ r }}.queue_id <> 'ALL' AND {{ r }}.queue_name IN ($queue)) OR ({{ s }}.scope = 'channel' AND {{ r }}.channel IN ($channel) AND {{ r }}.queue_name IN ($queue)))
{%- endmacro %}
{% macro selected() -%}
latest AS (SELECT * FROM (SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.queue_id, m.channel ORDER BY m.time DESC) AS latest_rank FROM "{{ timestream_database }}".queue_metrics m WHERE m.time > ago(5m) AND m.instance_id = ${instance:sqlstring}) WHERE latest_rank = 1), scopes AS ({{ scope_of("latest", "") }}), selected AS (SELECT l.* FROM latest l CROSS JOIN scopes s WHERE {{ picked("l", "s") }})
{%- endmacro %}
{% macro minutes() -%}
minutes AS (SELECT * FROM (SELECT bin(m.time, 1m) AS t, m.*, ROW_NUMBER() OVER (PARTITION BY bin(m.time, 1m), m.queue_id, m.channel ORDER BY m.time DESC) AS minute_rank FROM "{{ timestream_database }}".queue_metrics m WHERE $__timeFilter AND m.instance_id = ${instance:sqlstring}) WHERE minute_rank = 1)
{%- endmacro %}
{% macro selected_per_minute() -%}
{{ minutes() }}, scopes AS ({{ scope_of("minutes", "t") }}), selected AS (SELECT r.* FROM minutes r JOIN scopes s ON s.t = r.t WHERE {{ picked("r", "s") }})
{%- endmacro %}
