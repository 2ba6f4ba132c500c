"""Helpers of the kill and fault-proxy tests: run a publish in a subprocess that
SIGKILLs itself at a stage (publisher/faults.py), and compare what was
published with what was intended, byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from publisher.faults import ENV

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
Tree = dict[str, tuple[str, int]]  # relative path -> (sha256, bytes)


def child_env(kill_at: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != ENV}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(HERE)])
    if kill_at:
        env[ENV] = kill_at
    return env


def publish_killed(job: dict[str, Any], kill_at: str) -> subprocess.CompletedProcess[str]:
    """Publish JOB in a child that kills itself at KILL_AT; fail unless it died there."""
    done = subprocess.run([sys.executable, str(HERE / "kill_child.py"), json.dumps(job)],
                          capture_output=True, text=True, timeout=300, check=False,
                          env=child_env(kill_at), cwd=ROOT)
    assert done.returncode == -signal.SIGKILL, (
        f"the publish did not die at {kill_at} (exit {done.returncode}): "
        f"{done.stdout[-500:]} {done.stderr[-2000:]}")
    return done


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree(root: Path) -> Tree:
    """Every file under ROOT with its hash and size."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): (digest(p.read_bytes()), p.stat().st_size)
            for p in sorted(root.rglob("*")) if p.is_file()}


def lost_bytes(expected: Tree, found: Tree) -> int:
    """Bytes of EXPECTED that are missing or different in FOUND."""
    return sum(size for path, (sha, size) in expected.items() if found.get(path, ("", 0))[0] != sha)
