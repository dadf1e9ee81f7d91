{#- CONTACTS_ABANDONED, the one rule for real time and history (Connect: "disconnected by the customer
    while in queue; contacts queued for callback are not abandoned"): a queued contact never connected to
    an agent, not itself a callback, and not ended by the system: CONTACT_FLOW_DISCONNECT (the queue flow
    hung up, or queued a callback in the contact's place) and EXPIRED (a task or callback no one took)
    are not the customer leaving. Columns are passed in because real time and history name them
    differently; rendered on one line so that the queries using it keep their line numbers. -#}
{% macro left_queue_unanswered(connected_to_agent, initiation_method, disconnect_reason) -%}
{{ connected_to_agent }} IS NULL AND {{ initiation_method }} <> 'CALLBACK' AND coalesce({{ disconnect_reason }}, '') NOT IN ('CONTACT_FLOW_DISCONNECT', 'EXPIRED')
{%- endmacro %}
