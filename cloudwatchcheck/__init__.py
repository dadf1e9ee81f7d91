"""CloudWatch metric queries: the query files' declared format (`document`) and their check against what the
pipeline publishes (`check`, from connect_ingest.published_metrics), so a misspelt namespace, metric, dimension or
resource name is a finding at the file's line, not an empty panel."""

from cloudwatchcheck.check import check_metric_query
from cloudwatchcheck.document import MetricQuery, read_query

__all__ = ["MetricQuery", "check_metric_query", "read_query"]
