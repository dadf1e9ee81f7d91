"""Settings come from the environment, with errors that name the variable; transforms stay free of boto3."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from connect_ingest.config import ConfigError, required, sink_from_env
from connect_ingest.sinks.influx import InfluxSink
from connect_ingest.sinks.timestream import TimestreamSink

from tests.conftest import ROOT
from tests.servers import POLL_SECONDS


def test_timestream_sink_from_environment() -> None:
    sink = sink_from_env({"SINK": "timestream", "TIMESTREAM_DATABASE": "db", "TIMESTREAM_REGION": "eu-west-1"})
    assert isinstance(sink, TimestreamSink) and sink.database == "db"
    assert sink.client.meta.region_name == "eu-west-1"


def test_influx_sink_from_environment() -> None:
    sink = sink_from_env(
        {"SINK": "InfluxDB", "INFLUX_URL": "http://h:8086", "INFLUX_DATABASE": "c", "INFLUX_TOKEN": "t"}
    )
    assert isinstance(sink, InfluxSink) and sink.auth.header() == "Token t"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SINK": "kafka"}, "SINK is 'kafka'"),
        ({"SINK": "timestream", "TIMESTREAM_DATABASE": "db"}, "TIMESTREAM_REGION is not set"),
        ({"SINK": "influxdb", "INFLUX_URL": "http://h"}, "INFLUX_DATABASE is not set"),
    ],
)
def test_bad_settings_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        sink_from_env(environ)


def test_required_rejects_blank_values() -> None:
    with pytest.raises(ConfigError, match="DLQ_URL"):
        required("DLQ_URL", {"DLQ_URL": "  "})


def test_transforms_import_without_boto3_or_powertools() -> None:
    code = "import sys, connect_ingest.transform; print(sorted(m for m in ('boto3', 'botocore', 'aws_lambda_powertools') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT / "infra" / "lambdas"
    )
    assert result.stdout.strip() == "[]"


def test_readme_lists_exactly_the_environment_variables_the_code_reads() -> None:
    """infra/lambdas/README.md's table is what an operator sets; a variable read but not listed is a trap."""
    package = ROOT / "infra" / "lambdas" / "connect_ingest"
    code = "\n".join(path.read_text(encoding="utf-8") for path in package.rglob("*.py"))
    read = set(re.findall(r"""(?:required\(|\.get\(|env\[)\s*["']([A-Z][A-Z0-9_]+)["']""", code))
    readme = (ROOT / "infra" / "lambdas" / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    listed = {
        name
        for row in table.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Z_]+)`", row.split(" | ")[0])
    }
    assert {"DLQ_URL", "TIMESTREAM_ENDPOINT_URL", "INFLUX_SECRET_ARN"} <= read, "the pattern no longer finds reads"
    assert read - listed == set(), f"read by the code, missing from the README: {sorted(read - listed)}"
    # POWERTOOLS_SERVICE_NAME is read by Powertools itself
    assert listed - read - {"POWERTOOLS_SERVICE_NAME"} == set(), f"listed, never read: {sorted(listed - read)}"


def test_the_sdk_sends_each_call_once_so_our_own_back_off_alone_decides_retries() -> None:
    """A call the SDK would retry on a 500 (Timestream, Connect, SQS alike) reaches the server exactly once."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import boto3
    from botocore.exceptions import ClientError
    from connect_ingest import config

    seen: list[str] = []

    class Failing(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            seen.append(self.path)
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = b'{"__type":"InternalServerException","message":"down"}'
            self.send_response(500)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), daemon=True).start()
    try:
        client = boto3.client(
            "sqs",
            endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
            region_name="eu-west-2",
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=config._NO_SDK_RETRIES,
        )
        with pytest.raises(ClientError):
            client.list_queues()
    finally:
        server.shutdown()
    assert len(seen) == 1, f"{len(seen)} requests for one call"
