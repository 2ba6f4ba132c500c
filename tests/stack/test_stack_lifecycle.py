"""deploy/local scripts on the running stack: `up` again is harmless, status and
check-down tell the truth. (That `down` leaves nothing running is checked by
deploy/local/check-down, which deploy/local/down runs last and exits non-zero on.)"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.stack

SERVICES = ("postgres", "redis", "solr", "s3", "ckan")


def run(script: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(script)], capture_output=True, text=True, timeout=timeout,
                          check=False)


def test_up_again_is_harmless(
    deploy_local: Path, stack_env_path: Path, stack_values: dict[str, str],
    read_env_file: Callable[[Path], dict[str, str]], ckan: Any, s3: Any,
) -> None:
    orgs_before = ckan.action.organization_list()

    again = run(deploy_local / "up")

    assert again.returncode == 0, again.stderr[-3000:]
    for service in SERVICES:
        assert f"{service} already running" in again.stderr
    assert read_env_file(stack_env_path) == stack_values  # same URL, token and keys
    assert ckan.action.organization_list() == orgs_before
    s3.head_bucket(Bucket=stack_values["PUBLISHER_S3_BUCKET"])


def test_status_reports_every_service_up(deploy_local: Path, ckan: Any, s3: Any) -> None:
    status = run(deploy_local / "status", timeout=120)

    assert status.returncode == 0, status.stdout + status.stderr
    states = {line.split()[0]: line.split()[1] for line in status.stdout.splitlines()
              if line and not line.startswith("state:")}
    assert states == dict.fromkeys(SERVICES, "up")


def test_check_down_fails_while_the_stack_runs(deploy_local: Path, ckan: Any, s3: Any) -> None:
    check = run(deploy_local / "check-down", timeout=60)

    assert check.returncode != 0
    assert "still" in check.stderr
