{% from "timestream/_latest.sql" import agents, current_contacts, free_slots with context %}-- Connect's Available: agents Connect can route a contact to now, i.e. with a free slot (free_slots in _latest.sql); an agent on one chat of three is available.
WITH {{ agents() }}, {{ current_contacts() }}, {{ free_slots() }}
SELECT count_if(voice + chat + task > 0) AS available
FROM free_slots
