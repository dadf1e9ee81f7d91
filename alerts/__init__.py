"""Alert rule definitions, one module per area; each defines GROUPS (dashcompiler.alerts_api)."""
