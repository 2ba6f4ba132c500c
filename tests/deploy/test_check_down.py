"""deploy/local/check-down counts the processes of its own stack: one started for
another state dir that shares the cache (a second stack on other ports) is not
this stack's, one started for no known state dir is."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT

CHECK_DOWN = ROOT / "deploy" / "local" / "check-down"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _check_down(state: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PUBLISHER_STACK_DIR": str(state), "PUBLISHER_STACK_CACHE": str(cache)}
    for name in ("PG", "REDIS", "SOLR", "CKAN", "S3"):
        env[f"PUBLISHER_STACK_{name}_PORT"] = str(_free_port())
    return subprocess.run(["bash", str(CHECK_DOWN)], env=env, capture_output=True, text=True,
                          timeout=60)


def _sleeper(cache: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A process whose command line points into the cache, as a service's does."""
    script = cache / "bin" / "service.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script)], env=env)
    time.sleep(0.3)
    return process


def test_another_stacks_process_is_not_counted(tmp_path: Path) -> None:
    cache, state = tmp_path / "cache", tmp_path / "state"
    other = {**os.environ, "PUBLISHER_STACK_DIR": str(tmp_path / "other-state")}
    process = _sleeper(cache, other)
    try:
        result = _check_down(state, cache)
        assert result.returncode == 0, result.stderr
    finally:
        process.kill()
        process.wait()


def test_a_process_of_unknown_stack_in_the_cache_is_counted(tmp_path: Path) -> None:
    cache, state = tmp_path / "cache", tmp_path / "state"
    plain = {k: v for k, v in os.environ.items() if k != "PUBLISHER_STACK_DIR"}
    process = _sleeper(cache, plain)
    try:
        result = _check_down(state, cache)
        assert result.returncode == 1
        assert "NOT fully down" in result.stderr + result.stdout
    finally:
        process.kill()
        process.wait()
