{% from "timestream/_latest.sql" import contacts with context %}{% from "_abandoned.sql" import left_queue_unanswered %}-- CONTACTS_ABANDONED for contacts enqueued today (from midnight in the dashboard's time zone): the customer left the queue; callbacks, contacts the flow ended and expired ones excluded.
WITH {{ contacts(today=True) }}
SELECT count_if(disconnected_at IS NOT NULL AND {{ left_queue_unanswered('connected_to_agent_at', 'initiation_method', 'disconnect_reason') }}) AS abandoned
FROM contacts
WHERE enqueued_at >= from_milliseconds($__timeFrom)
