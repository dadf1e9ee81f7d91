-- Contact attributes, tags, hierarchy and recordings: maps, nested structs and arrays.
SELECT contactid,
       element_at(attributes, 'reason') AS reason,
       tags['team'] AS team,
       agent.hierarchygroups.level1.groupname AS level1,
       agent.routingprofile.name AS routing_profile,
       customerendpoint.type AS endpoint_type,
       recordings[1].location AS first_recording,
       cardinality(references) AS reference_count,
       r.ref_name AS reference_name
FROM contact_records
CROSS JOIN UNNEST(references) AS r(ref_name, ref_type, ref_value, ref_status)
WHERE $__dateFilter(initiation_date)
