"""Grafana 12's evaluation of an alert rule, as a pure function of the rule's provisioned JSON and query results.

``values`` turns a datasource's rows into what server-side expressions see (numbers or series, each with
labels), ``expressions`` runs reduce, threshold (with a recovery threshold), math and classic conditions,
``rule`` reads a rule as file provisioning writes it, ``evaluate`` gives one evaluation's result per label set,
``state`` moves each alert instance through Normal, Pending, Alerting, Recovering, NoData and Error, and
``replay`` drives a rule group minute by minute through a query runner the caller supplies (the local engine, an
InfluxDB). Nothing here runs a query or reads a file: ``core`` is the only package of ours it imports.
"""
