"""A real local Dask cluster for a benchmark: deploy/local/cluster starts a
scheduler and two single-threaded workers on 127.0.0.1, on a free port, with its
state in the given folder, running this checkout's publisher; it is stopped again
whatever happened."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "local" / "cluster"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(command: str, env: dict[str, str]) -> None:
    done = subprocess.run([str(SCRIPT), command], env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    if done.returncode:
        sys.exit(f"deploy/local/cluster {command} failed:\n{done.stderr}")


@contextmanager
def local_cluster(state: Path) -> Iterator[str]:
    """The scheduler's address while the cluster runs."""
    port = _free_port()
    env = {**os.environ, "PUBLISHER_STACK_DIR": str(state),
           "PUBLISHER_CLUSTER_PORT": str(port), "PUBLISHER_CLUSTER_PYTHON": sys.executable,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT),
                                                       os.environ.get("PYTHONPATH")]))}
    _run("up", env)
    try:
        yield f"tcp://127.0.0.1:{port}"
    finally:
        _run("down", env)
