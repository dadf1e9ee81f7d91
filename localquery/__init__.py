"""Run panel queries on embedded DuckDB over simulated or exported data: dashboards without AWS.

``run_panel`` loads a data directory (loader), expands the panel's macros and variables, translates
its Timestream or Athena SQL to DuckDB (translate) and returns the rows (run).
"""
