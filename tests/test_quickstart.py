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
    assert len(datasets) == 2 and all(d["version"] == 1 for d in datasets)
