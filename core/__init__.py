"""The neutral core: what every package shares and nothing of ours is imported by it.

Errors and exit codes, the datasource-kind type and its registry, the query context the
checkers take, the typed template variable and query owner, findings, text maps, the one
JSON encoding and the one sandboxed Jinja2 environment for query files.
"""
