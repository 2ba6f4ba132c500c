"""The README's `make demo`, run as a steward would, twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_make_demo_publishes_then_reports_nothing_changed(tmp_path: Path) -> None:
    env = {**os.environ, "PUBLISHER_HOME": str(tmp_path / "home"),
           "VENV": str(Path(sys.executable).parent.parent), "COLUMNS": "200"}
    first = subprocess.run(["make", "--no-print-directory", "demo"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=600, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "published" in first.stdout

    second = subprocess.run(["make", "--no-print-directory", "demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "unchanged" in second.stdout and "published a new version" not in second.stdout

    listing = subprocess.run([str(Path(sys.executable).parent / "publisher"), "catalog", "list",
                              "--json"], env=env, capture_output=True, text=True, check=True)
    datasets = json.loads(listing.stdout)["datasets"]
    shipped = sorted((ROOT / "pipelines").glob("*.yaml"))
    assert len(datasets) == len(shipped) and all(d["version"] == 1 for d in datasets)


def test_make_demo_runs_without_a_rust_toolchain(tmp_path: Path) -> None:
    """A fresh virtualenv, no cargo anywhere on the PATH (nor in ~/.cargo): the
    compiled extension is skipped with a one-line note and every shipped pipeline
    runs on the pure engine."""
    path = os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep)
                           if d and not (Path(d) / "cargo").exists())
    pip_cache = os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))
    env = {**os.environ, "PATH": path, "HOME": str(tmp_path / "home-dir"),
           "PIP_CACHE_DIR": pip_cache, "VENV": str(tmp_path / "venv"),
           "PUBLISHER_HOME": str(tmp_path / "publisher-home"), "COLUMNS": "200"}
    result = subprocess.run(["make", "--no-print-directory", "demo"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=1200, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no Rust toolchain (cargo): the pure engine is used" in result.stderr
    probe = subprocess.run([str(tmp_path / "venv" / "bin" / "python"), "-c",
                            "import publisher_kernels"], capture_output=True, check=False)
    assert probe.returncode != 0, "the extension was built although cargo was absent"
    shipped = sorted((ROOT / "pipelines").glob("*.yaml"))
    assert result.stdout.count("published") >= len(shipped)
    assert f"{len(shipped)} pipeline(s): {len(shipped)} ok" in result.stdout
