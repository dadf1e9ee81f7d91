"""Careless and hostile input: secrets that cannot be sent or are echoed back, servers that are not Grafana."""
