"""Template variables and panel helpers shared by the contact-centre dashboards."""

from __future__ import annotations

from dashcompiler.define import CustomVariable, QueryVariable

INSTANCE = QueryVariable("instance", "Instance", "variables/instance.sql", multi=False, include_all=False)
QUEUE = QueryVariable("queue", "Queue", "variables/queue.sql")
CHANNEL = CustomVariable("channel", "Channel", ("VOICE", "CHAT", "TASK", "EMAIL"), multi=True, include_all=True)
ROUTING_PROFILE = QueryVariable("routing_profile", "Routing profile", "variables/routing_profile.sql")
HIERARCHY_GROUP = QueryVariable("hierarchy_group", "Agent hierarchy group", "variables/hierarchy_group.sql")
SERVICE_LEVEL = CustomVariable(
    "sl_seconds",
    "Service level threshold (s)",
    ("10", "15", "20", "30", "45", "60", "90", "120"),
    default="{{ service_level_seconds }}",
    numeric=True,
)
