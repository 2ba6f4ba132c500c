"""The Dask cluster of deploy/compose.yaml (profile `cluster`): a scheduler and a
worker service that `--scale worker=N` can multiply, run from the publisher image
(which installs publisher[cluster]) the way deploy/local/cluster runs them on one
machine, and reachable by the API's runs. There is no Docker engine here: the
file's structure is checked (tests/deploy/test_compose.py validates it against the
Compose Specification)."""

from __future__ import annotations

import re
import shlex
from typing import Any

from tests.deploy.test_compose import DEPLOY, dotenv, load_compose

LOCAL = DEPLOY / "local" / "cluster"


def _services() -> dict[str, Any]:
    env = {**dotenv(DEPLOY / ".env.example"), "PUBLISHER_CLUSTER": "tcp://scheduler:8786"}
    services: dict[str, Any] = load_compose(env)["services"]
    return services


def _option(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def _local_command(program: str) -> list[str]:
    """The arguments deploy/local/cluster gives `dask <program>` (line breaks joined)."""
    script = re.sub(r"\\\n\s*", " ", LOCAL.read_text(encoding="utf-8"))
    line = next(line for line in script.splitlines() if f"-m dask {program} " in line)
    words = shlex.split(line.split(f"-m dask {program} ", 1)[1])
    return [w for w in words if not w.startswith("$") or w.startswith("$ADDRESS")]


def test_scheduler_and_workers_run_from_the_publisher_image() -> None:
    services = _services()
    api, scheduler, worker = (services[n] for n in ("publisher-api", "scheduler", "worker"))
    assert scheduler["image"] == worker["image"] == api["image"]
    assert scheduler["profiles"] == worker["profiles"] == ["cluster"]
    assert "profiles" not in api  # the stack without the cluster is unchanged
    dockerfile = (DEPLOY / "api" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"pip install \.\[cluster\] ", dockerfile), "the image lacks dask"
    assert scheduler["command"][:2] == ["dask", "scheduler"]
    assert worker["command"][:2] == ["dask", "worker"]


def test_the_addresses_agree() -> None:
    services = _services()
    scheduler, worker = services["scheduler"], services["worker"]
    port = _option(scheduler["command"], "--port")
    assert worker["command"][2] == f"tcp://scheduler:{port}"
    assert services["publisher-api"]["environment"]["PUBLISHER_CLUSTER"] == \
        f"tcp://scheduler:{port}"
    assert worker["depends_on"]["scheduler"]["condition"] == "service_healthy"
    assert f"{port}), 5)" in " ".join(scheduler["healthcheck"]["test"])
    assert port == "8786"
    assert "ports" not in scheduler and "ports" not in worker  # not outside the network


def test_workers_can_be_scaled() -> None:
    worker = _services()["worker"]
    assert "container_name" not in worker and "ports" not in worker  # --scale worker=N
    assert "hostname" not in worker


def test_workers_read_the_files_by_the_path_the_api_sees() -> None:
    services = _services()
    api_home = next(v for v in services["publisher-api"]["volumes"]
                    if v.startswith("publisher_home:"))
    # writable: the workers write the row-wise steps' output into the run's directory
    assert api_home in services["worker"]["volumes"]
    assert "volumes" not in services["scheduler"]  # it never reads data


def test_workers_are_started_as_deploy_local_cluster_starts_them() -> None:
    local_worker = _local_command("worker")
    local_scheduler = _local_command("scheduler")
    worker, scheduler = _services()["worker"]["command"], _services()["scheduler"]["command"]
    # single-threaded processes (the detectors are Python code), no dashboard
    assert _option(local_worker, "--nthreads") == _option(worker, "--nthreads") == "1"
    for flag in ("--no-dashboard", "--local-directory"):
        assert flag in local_worker and flag in worker
    assert "--no-dashboard" in local_scheduler and "--no-dashboard" in scheduler
    assert local_worker[0] == "$ADDRESS"  # the scheduler's address comes first in both
    assert worker[2].startswith("tcp://")
    assert _option(worker, "--nworkers") == "1"  # CLUSTER_WORKER_PROCESSES of .env.example
    assert _option(worker, "--memory-limit") == "4GiB"
