"""Session fixtures for tests against the real local stack (deploy/local/up).

The stack's env file is read from $PUBLISHER_STACK_ENV, else
$PUBLISHER_STACK_DIR/stack.env, else ~/.local/state/publisher-stack/stack.env.
A missing env file or a service that does not answer FAILS the test (never skips),
with a message naming the service and its log file.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY_LOCAL = REPO / "deploy" / "local"


def default_env_path() -> Path:
    if os.environ.get("PUBLISHER_STACK_ENV"):
        return Path(os.environ["PUBLISHER_STACK_ENV"])
    state = os.environ.get("PUBLISHER_STACK_DIR") or str(
        Path.home() / ".local" / "state" / "publisher-stack"
    )
    return Path(state) / "stack.env"


def parse_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


@dataclass(frozen=True)
class Stack:
    env_path: Path
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        if key not in self.values:
            pytest.fail(f"stack env file {self.env_path} has no {key}; rerun deploy/local/up")
        return self.values[key]

    @property
    def log_dir(self) -> Path:
        return Path(self.values.get("PUBLISHER_STACK_LOG_DIR", str(self.env_path.parent / "logs")))

    def log(self, service: str) -> Path:
        return self.log_dir / f"{service}.log"

    def down(self, service: str, problem: str) -> None:
        """Fail the test: SERVICE did not come up."""
        pytest.fail(
            f"stack service '{service}' is not available: {problem}. "
            f"Its log: {self.log(service)}. Start the stack with deploy/local/up "
            f"(deploy/local/status shows each service).",
            pytrace=False,
        )


def http_json(url: str, timeout: float = 15.0, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


@pytest.fixture(scope="session")
def stack() -> Stack:
    path = default_env_path()
    if not path.is_file():
        pytest.fail(
            f"stack env file {path} not found: the local stack is not up. Run deploy/local/up "
            f"(logs under {path.parent / 'logs'}), or set PUBLISHER_STACK_ENV.",
            pytrace=False,
        )
    return Stack(path, parse_env_file(path))


@pytest.fixture(scope="session")
def solr_url(stack: Stack) -> str:
    url = stack["PUBLISHER_SOLR_URL"]
    try:
        status = http_json(f"{url}/admin/ping?wt=json").get("status")
    except (OSError, ValueError) as exc:
        stack.down("solr", f"{url} did not answer ({exc})")
    if status != "OK":
        stack.down("solr", f"ping of {url} answered status {status!r}")
    return url


@pytest.fixture(scope="session")
def ckan(stack: Stack, solr_url: str) -> Any:
    """A ckanapi.RemoteCKAN logged in as the stack's sysadmin."""
    import ckanapi

    url = stack["PUBLISHER_CKAN_URL"]
    try:
        status = http_json(f"{url}/api/3/action/status_show")
    except (OSError, ValueError) as exc:
        stack.down("ckan", f"{url} did not answer status_show ({exc})")
    if not status.get("success"):
        stack.down("ckan", f"status_show on {url} did not succeed")
    client = ckanapi.RemoteCKAN(url, apikey=stack["PUBLISHER_CKAN_API_KEY"],
                                user_agent="publisher-stack-tests")
    try:
        client.action.config_option_list()  # sysadmin only: proves the token works
    except ckanapi.NotAuthorized:
        stack.down("ckan", "the API token in the env file is not accepted")
    except (OSError, ckanapi.CKANAPIError) as exc:
        stack.down("ckan", f"an authenticated call failed ({exc})")
    return client


@pytest.fixture(scope="session")
def s3(stack: Stack) -> Any:
    """A boto3 S3 client for the stack's gateway; the bucket exists."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    endpoint = stack["PUBLISHER_S3_ENDPOINT"]
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=stack["PUBLISHER_S3_ACCESS_KEY"],
        aws_secret_access_key=stack["PUBLISHER_S3_SECRET_KEY"],
        region_name=stack["PUBLISHER_S3_REGION"],
        # SigV4 presigned URLs: botocore's default for a custom endpoint is SigV2, which
        # S3 gateways (and AWS) refuse
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                      connect_timeout=5, read_timeout=30, retries={"max_attempts": 2}),
    )
    try:
        client.head_bucket(Bucket=stack["PUBLISHER_S3_BUCKET"])
    except (BotoCoreError, ClientError) as exc:
        bucket = stack["PUBLISHER_S3_BUCKET"]
        stack.down("s3", f"bucket {bucket} at {endpoint} not reachable ({exc})")
    return client


@pytest.fixture(scope="session")
def ckan_org(ckan: Any) -> Iterator[dict[str, Any]]:
    """A fresh organisation for this session, purged afterwards with its datasets."""
    import uuid

    org: dict[str, Any] = ckan.action.organization_create(
        name=f"stack-test-{uuid.uuid4().hex[:10]}", title="Stack test organisation"
    )
    yield org
    for pkg in ckan.action.package_search(fq=f"owner_org:{org['id']}", rows=1000,
                                          include_private=True)["results"]:
        ckan.action.dataset_purge(id=pkg["id"])
    ckan.action.organization_purge(id=org["id"])


@pytest.fixture(scope="session")
def stack_values(stack: Stack) -> dict[str, str]:
    """The env file's KEY=VALUE pairs (PUBLISHER_CKAN_URL, PUBLISHER_S3_BUCKET, ...)."""
    return dict(stack.values)


@pytest.fixture(scope="session")
def stack_env_path(stack: Stack) -> Path:
    return stack.env_path


@pytest.fixture(scope="session")
def deploy_local() -> Path:
    """deploy/local of this checkout (up, down, status, check-down)."""
    return DEPLOY_LOCAL


@pytest.fixture(scope="session")
def read_env_file() -> Any:
    return parse_env_file
