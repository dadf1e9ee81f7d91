"""Push the provisioning bundle to a running Grafana over its HTTP API, and diff against it.

Every call to Grafana goes through grafana-client; comparisons use one normalised form
(normalize.py) so that Grafana-side noise (id, version, migrations) never shows as a change.
"""
