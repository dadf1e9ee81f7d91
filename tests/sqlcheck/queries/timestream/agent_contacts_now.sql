-- Contacts agents are handling now, newest state per contact.
SELECT contact_id, agent_username, channel, state,
       date_diff('second', state_start, now()) AS seconds_in_state,
       CAST(queued_at AS varchar) AS queued, cast(connected_to_agent_at AS varchar) AS connected
FROM "{{ timestream_database }}".agent_contact
WHERE time >= ago(15m) AND channel IN ($channel)
