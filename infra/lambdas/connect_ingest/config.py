"""Everything the Lambdas read from their environment, in one place (documented in infra/lambdas/README.md).

Clients are created once per container and reused while it is warm.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

from connect_ingest.deadletter import DeadLetters
from connect_ingest.sinks import Sink
from connect_ingest.sinks.influx import InfluxAuth, InfluxSink
from connect_ingest.sinks.timestream import TimestreamSink

# Our own back-off decides retries, so that a throttled write is counted and bounded in one place.
# botocore reads retries["max_attempts"] as retries after the first attempt; total_max_attempts counts them all.
_NO_SDK_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=20)


class ConfigError(RuntimeError):
    """A missing or invalid environment variable; the message names it and says what it must be."""


def required(name: str, environ: Mapping[str, str] | None = None) -> str:
    value = (os.environ if environ is None else environ).get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is not set; see infra/lambdas/README.md")
    return value


def sink_from_env(environ: Mapping[str, str] | None = None) -> Sink:
    env = os.environ if environ is None else environ
    kind = env.get("SINK", "timestream").strip().lower()
    if kind == "timestream":
        # An explicit endpoint (a VPC interface endpoint, or a local test server) turns endpoint discovery off.
        endpoint = env.get("TIMESTREAM_ENDPOINT_URL", "").strip() or None
        client = boto3.client(
            "timestream-write",
            region_name=required("TIMESTREAM_REGION", env),
            endpoint_url=endpoint,
            config=_NO_SDK_RETRIES,
        )
        return TimestreamSink(client=client, database=required("TIMESTREAM_DATABASE", env), seed_schema=True)
    if kind == "influxdb":
        return InfluxSink(
            url=required("INFLUX_URL", env), database=required("INFLUX_DATABASE", env), auth=influx_auth(env)
        )
    raise ConfigError(f"environment variable SINK is {kind!r}; use 'timestream' or 'influxdb'")


def influx_auth(env: Mapping[str, str], secrets_client: Any = None) -> InfluxAuth:
    """INFLUX_TOKEN or INFLUX_USERNAME/INFLUX_PASSWORD when set, else the INFLUX_SECRET_ARN secret, else none."""
    if env.get("INFLUX_TOKEN"):
        return InfluxAuth(token=env["INFLUX_TOKEN"])
    if env.get("INFLUX_USERNAME") and env.get("INFLUX_PASSWORD") is not None:
        return InfluxAuth(username=env["INFLUX_USERNAME"], password=env["INFLUX_PASSWORD"])
    arn = env.get("INFLUX_SECRET_ARN", "").strip()
    if not arn:
        return InfluxAuth()
    client = secrets_client or boto3.client("secretsmanager")
    try:
        secret = json.loads(client.get_secret_value(SecretId=arn)["SecretString"])
    except (ValueError, KeyError, TypeError):
        raise ConfigError(
            "the INFLUX_SECRET_ARN secret is not a JSON object with 'token' or 'username' and 'password'"
        ) from None
    if isinstance(secret, dict) and secret.get("token"):
        return InfluxAuth(token=str(secret["token"]))
    if isinstance(secret, dict) and secret.get("username") and "password" in secret:
        return InfluxAuth(username=str(secret["username"]), password=str(secret["password"]))
    raise ConfigError("the INFLUX_SECRET_ARN secret has neither 'token' nor 'username' and 'password'")


@cache
def sink() -> Sink:
    return sink_from_env()


@cache
def dead_letters() -> DeadLetters:
    return DeadLetters(client=boto3.client("sqs"), queue_url=required("DLQ_URL"))


@cache
def connect_client() -> Any:
    return boto3.client("connect", config=_NO_SDK_RETRIES)


_CACHED = (sink, dead_letters, connect_client)


def reset() -> None:
    """Forget cached clients (tests change the environment between cases)."""
    for cached in _CACHED:
        cached.cache_clear()
