"""A real local Dask cluster (deploy/local/cluster: a scheduler and two workers on
127.0.0.1) for the session, on a free port with its state in a temporary
directory, stopped at the end whatever happened. The workers run this checkout's
publisher (PYTHONPATH) with the test's Python."""

from __future__ import annotations

import importlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "deploy" / "local" / "cluster"
ROWS = 60_000  # the generated package: about 11 MB of CSV, about 10 ranges of 1 MiB


@dataclass(frozen=True)
class LocalCluster:
    address: str
    env: dict[str, str]
    state: Path

    def run(self, command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), command], env=self.env, capture_output=True,
                              text=True, timeout=180, check=False)

    def worker_pids(self) -> list[int]:
        return [int(p.read_text().strip()) for p in sorted(self.state.glob("worker-*.pid"))]

    def killing_a_worker(self, task: str, work: Callable[[], Any]) -> Any:
        """WORK's result, run in a thread while the worker running the first task
        whose key names TASK is killed (SIGKILL); the worker is started again after."""
        from distributed import Client

        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                outcome["result"] = work()
            except BaseException as exc:  # handed to the test's thread
                outcome["error"] = exc

        thread = threading.Thread(target=run)
        killed = None
        try:
            with Client(self.address, set_as_default=False) as watcher:
                thread.start()
                deadline = time.monotonic() + 300
                while killed is None and thread.is_alive() and time.monotonic() < deadline:
                    for address, keys in watcher.processing().items():
                        if any(task in str(k) for k in keys):
                            name = watcher.scheduler_info()["workers"][address]["name"]
                            killed = int((self.state / f"{name}.pid").read_text())
                            os.kill(killed, signal.SIGKILL)
                            break
                    time.sleep(0.1)
            thread.join(600)
            assert killed is not None, f"no {task} task was seen running: nothing was killed"
            assert not thread.is_alive()
            assert "error" not in outcome, outcome.get("error")
            return outcome["result"]
        finally:
            restarted = self.run("up")  # starts the killed worker again
            assert restarted.returncode == 0, restarted.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def local_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    root = tmp_path_factory.mktemp("cluster-stack")
    port = _free_port()
    env = {**os.environ, "PUBLISHER_STACK_DIR": str(root),
           "PUBLISHER_CLUSTER_PORT": str(port), "PUBLISHER_CLUSTER_PYTHON": sys.executable,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                       os.environ.get("PYTHONPATH")]))}
    cluster = LocalCluster(f"tcp://127.0.0.1:{port}", env, root / "cluster")
    try:
        up = cluster.run("up")
        assert up.returncode == 0, f"deploy/local/cluster up failed:\n{up.stderr}"
        yield cluster
    finally:
        down = cluster.run("down")
        assert down.returncode == 0, down.stderr
        assert not [p for p in cluster.worker_pids() if _alive(p)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="session")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ROWS generated defect reports (benchmarks/_scaled_reports): a package with
    lat/lon columns in <root>/latlon, the same rows with WKT in <root>/wkt."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        scaled = importlib.import_module("_scaled_reports")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    root = tmp_path_factory.mktemp("reports")
    scaled.write(root, ROWS)
    return root


@pytest.fixture
def cut_ranges(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many ranges each cut of a file gave, as it is made."""
    from publisher.cluster import scan

    cut = scan.cut
    made: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        parts = cut(*args, **kwargs)
        made.append(len(parts))
        return parts

    monkeypatch.setattr(scan, "cut", counted)
    return made


@pytest.fixture
def small_ranges(monkeypatch: pytest.MonkeyPatch, cut_ranges: list[int]) -> list[int]:
    """Ranges of 1 MiB (the generated package in about 10, not 1), counted as
    cut_ranges counts them."""
    from publisher.cluster import scan

    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)
    return cut_ranges
