-- Service level within the configured threshold, ASA and AHT per queue.
WITH ctr AS (
  SELECT * FROM (
    SELECT c.*, row_number() OVER (PARTITION BY c.contactid ORDER BY from_iso8601_timestamp(c.lastupdatetimestamp) DESC) AS rn
    FROM {{ ctr_table }} c
    WHERE c.initiation_date >= CAST($__timeFrom() AS date) AND c.initiation_date <= CAST($__timeTo() AS date)
  ) WHERE rn = 1
)
SELECT queue.name,
       100.0 * count_if(queue.enqueuetimestamp IS NOT NULL AND queue.duration <= CAST(${sl_seconds:sqlstring} AS DOUBLE)) / nullif(count_if(queue.enqueuetimestamp IS NOT NULL), 0) AS service_level,
       avg(queue.duration) FILTER (WHERE agent.connectedtoagenttimestamp IS NOT NULL AND queue.enqueuetimestamp IS NOT NULL) AS asa,
       avg(agent.agentinteractionduration + agent.customerholdduration + agent.aftercontactworkduration) FILTER (WHERE agent.connectedtoagenttimestamp IS NOT NULL) AS aht,
       avg(agent.customerholdduration) FILTER (WHERE agent.numberofholds > 0) AS avg_hold
FROM ctr
WHERE queue.name IN ($queue)
GROUP BY queue.name
