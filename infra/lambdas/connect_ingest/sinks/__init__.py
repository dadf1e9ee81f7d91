"""Writers for the data model's records: one interface, Timestream and InfluxDB implementations."""

from connect_ingest.sinks.base import Backoff, Sink, WriteResult

__all__ = ["Backoff", "Sink", "WriteResult"]
