"""Structured logs and CloudWatch metrics (EMF) for every invocation: counts and reasons, never payloads.

Service name and namespace come from POWERTOOLS_SERVICE_NAME and POWERTOOLS_METRICS_NAMESPACE; the names are
published_metrics' declaration, which the alarms and the pipeline-health dashboard are checked against.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from connect_ingest.published_metrics import CUSTOM_NAMESPACE, TALLY_METRICS

logger = Logger()
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", CUSTOM_NAMESPACE))


@dataclass
class Tally:
    """One invocation's outcome. Each input is counted once: written + retried + dead_lettered = inputs.

    ``records_written`` counts the records the store accepted in this invocation, whatever became of their
    input: an input with one refused record is dead-lettered whole (its accepted records stay stored), and
    an input retried after an outage may already have some records stored (the retry rewrites them).
    ``records_rejected`` counts the records the store (or its limits) refused.
    """

    inputs: int = 0
    written: int = 0
    retried: int = 0
    dead_lettered: int = 0
    records_written: int = 0
    records_rejected: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    def balanced(self) -> bool:
        return self.written + self.retried + self.dead_lettered == self.inputs


def report(source: str, tally: Tally) -> None:
    """Emit the counts as metrics and one log line; reasons are ours and carry field names, not values."""
    metrics.add_dimension(name="source", value=source)
    counts = (tally.inputs, tally.written, tally.retried, tally.dead_lettered, tally.records_written)
    for name, value in zip(TALLY_METRICS, (*counts, tally.records_rejected), strict=True):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)
    level = logger.info if tally.balanced() and not tally.dead_lettered and not tally.retried else logger.warning
    level(
        "batch processed",
        extra={
            "source": source,
            "inputs": tally.inputs,
            "written": tally.written,
            "retried": tally.retried,
            "dead_lettered": tally.dead_lettered,
            "records_written": tally.records_written,
            "records_rejected": tally.records_rejected,
            "reasons": dict(tally.reasons.most_common(10)),
        },
    )


class SinkUnavailableError(RuntimeError):
    """The store or the dead-letter queue could not take the records: raised so that the invocation is retried
    (EventBridge and Lambda's asynchronous retries), its DLQ receiving it if retries run out. ``tally`` counts the
    invocation's inputs as retried, so the metrics still show the outcome.
    """

    def __init__(self, message: str, tally: Tally | None = None) -> None:
        super().__init__(message)
        self.tally = tally
