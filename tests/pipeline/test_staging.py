"""A run's working directory: private, under the home, removed at the end; the
directories of runs that are gone are removed by the next run, those of runs
that still live are left alone (their lock is held)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from publisher.pipeline.run import Status, run_pipeline
from publisher.pipeline.staging import LOCK, STAGING, run_dir
from publisher.settings import load_settings
from tests.conftest import ROOT

TREES = ROOT / "pipelines" / "tree-cadastre.yaml"
HOLDER = """
import sys
from pathlib import Path
from publisher.pipeline.staging import run_dir
with run_dir(Path(sys.argv[1])) as work:
    (work.path / "raw.csv").write_text("name\\nMax Mustermann\\n")
    print(work.path, flush=True)
    sys.stdin.read()  # until the test closes it
"""


def _runs(root: Path) -> list[Path]:
    return sorted(root.glob("run-*"))


def test_a_run_directory_is_private_and_removed_at_the_end(tmp_path: Path) -> None:
    root = tmp_path / STAGING
    with run_dir(root) as work:
        assert work.path.parent == root and work.stale_removed == 0
        assert stat.S_IMODE(work.path.stat().st_mode) == 0o700
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        assert work.path.name.startswith(f"run-{os.getpid()}-")
        (work.path / "source").mkdir()
        (work.path / "source" / "raw.csv").write_text("x\n")
    assert _runs(root) == []


def test_a_dead_runs_directory_is_removed_by_the_next(tmp_path: Path) -> None:
    root = tmp_path / STAGING
    dead = root / "run-999999-abc"  # its lock file there, held by nobody
    (dead / "source").mkdir(parents=True)
    (dead / LOCK).touch()
    (dead / "source" / "raw.csv").write_text("name\nMax Mustermann\n")
    unlocked = root / "run-999998-def"  # killed before it had its lock file
    unlocked.mkdir()
    other = root / "not-a-run"  # left alone: not ours to judge
    other.mkdir()
    with run_dir(root) as work:
        assert work.stale_removed == 2
        assert _runs(root) == [work.path]
    assert other.is_dir()


def test_a_live_runs_directory_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / STAGING
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(root)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True, env=env) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        live = Path(holder.stdout.readline().strip())
        with run_dir(root) as work:  # another process's run is under way
            assert work.stale_removed == 0
            assert (live / "raw.csv").is_file()
            with run_dir(root) as nested:  # and one in this process too
                assert nested.stale_removed == 0 and work.path.is_dir()
        holder.stdin.close()
        assert holder.wait(timeout=60) == 0
    assert _runs(root) == []


def test_a_run_stages_under_the_home_and_leaves_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run_pipeline(TREES, load_settings(home=home))
    assert result.status is Status.PUBLISHED, result.message
    assert result.staging_removed == 0
    assert _runs(home / STAGING) == []
    journal = (Path(result.run_dir or "") / "journal.jsonl").read_text(encoding="utf-8")
    assert '"stale_removed": 0' in journal


CRASHER = """
import os, signal, sys
from pathlib import Path
from publisher.pipeline.staging import run_dir
with run_dir(Path(sys.argv[1])) as work:
    (work.path / "raw.csv").write_text("name\\nMax Mustermann\\n")
    os.kill(os.getpid(), signal.SIGSEGV)  # as a crash in a C library would
"""


def test_a_crashed_runs_directory_is_removed_by_the_next(tmp_path: Path) -> None:
    """A segmentation fault (say in GEOS) runs no cleanup, like SIGKILL: the
    run's lock goes with the process, and the next run removes what is left."""
    root = tmp_path / STAGING
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    crashed = subprocess.run([sys.executable, "-c", CRASHER, str(root)], env=env,
                             check=False, capture_output=True)
    assert crashed.returncode == -11
    assert len(_runs(root)) == 1 and (_runs(root)[0] / "raw.csv").exists()
    with run_dir(root) as work:
        assert work.stale_removed == 1
        assert _runs(root) == [work.path]
