"""`dash alerts test`: the environment's compiled alert rules replayed over simulated incidents.

``run`` simulates each incident (connect_simulator.incidents), loads it once into the local engine (or an InfluxDB),
and hands ``alerting.replay`` a runner that answers each rule query at each evaluation time; ``alerting`` decides
the states. The glue lives here because ``alerting`` is pure and ``localquery`` knows nothing of rules.
"""
