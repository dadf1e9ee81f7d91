"""What the AWS plugins (Timestream, Athena) share: how Grafana authenticates to AWS."""

from __future__ import annotations

from core.environment import Environment

# With aws_auth "keys", Grafana expands these references from its own environment; no key is ever written.
AWS_KEY_REFERENCES = {"accessKey": "$AWS_ACCESS_KEY_ID", "secretKey": "$AWS_SECRET_ACCESS_KEY"}


def auth_type(env: Environment) -> str:
    """The plugins' authType: the host's role ("default") or keys from Grafana's environment."""
    return "keys" if env.aws_auth == "keys" else "default"


def secure_json_data(env: Environment) -> dict[str, str]:
    return dict(AWS_KEY_REFERENCES) if env.aws_auth == "keys" else {}
