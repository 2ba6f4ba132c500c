"""SIGKILL a publish to the local catalogue at each of its stages, then run it
again: nothing half-published was ever visible, and the catalogue converges to
exactly what a publish without faults gives, byte for byte."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ckan_helpers import DATASET, stage_files
from convergence import ROOT, child_env, lost_bytes, publish_killed, tree
from kill_child import request_for

from publisher.catalog.store import CatalogStore
from publisher.targets.local import LocalTarget

LOCAL_STAGES = ["local-files-written", "local-version-renamed", "local-rows-written"]
V1 = {"a": b"id,wert\n1,10\n2,20\n", "b": b"id,name\n1,x\n"}
V2 = {"a": b"id,wert\n1,10\n2,20\n3,30\n", "c": b"k\n1\n"}
NAME = "kill-local"


def _publish(root: Path, staged: Path) -> None:
    LocalTarget(root).publish(request_for(staged, {**DATASET, "name": NAME}))


def _job(root: Path, staged: Path) -> dict[str, Any]:
    return {"kind": "local", "root": str(root), "staged": str(staged),
            "metadata": {**DATASET, "name": NAME}}


def _reference(tmp_path: Path, *versions: dict[str, bytes]) -> Path:
    root = tmp_path / "reference"
    for i, tables in enumerate(versions):
        stage_files(tmp_path / f"ref-staged-{i}", NAME, tables)
        _publish(root, tmp_path / f"ref-staged-{i}")
    return root


def _dataset_tree(root: Path) -> dict[str, Any]:
    return tree(root / "datasets" / NAME)


@pytest.mark.parametrize("stage", LOCAL_STAGES)
def test_killed_first_publish_is_invisible_and_converges(
        stage: str, tmp_path: Path, record_property: Any) -> None:
    reference = _reference(tmp_path, V1)
    root = tmp_path / "catalog"
    staged = tmp_path / "staged"
    stage_files(staged, NAME, V1)
    publish_killed(_job(root, staged), stage)
    assert CatalogStore(root).entries() == []  # nothing visible
    assert CatalogStore(root).datasets() == []

    _publish(root, staged)
    expected, found = _dataset_tree(reference), _dataset_tree(root)
    record_property("bytes_lost", lost_bytes(expected, found))
    assert found == expected
    assert [v["version"] for v in CatalogStore(root).versions(NAME)] == [1]


@pytest.mark.parametrize("stage", LOCAL_STAGES)
def test_killed_update_leaves_the_old_version_and_converges(
        stage: str, tmp_path: Path, record_property: Any) -> None:
    reference = _reference(tmp_path, V1, V2)
    root = tmp_path / "catalog"
    stage_files(tmp_path / "s1", NAME, V1)
    _publish(root, tmp_path / "s1")
    before = tree(root / "datasets" / NAME / "v1")
    stage_files(tmp_path / "s2", NAME, V2)
    publish_killed(_job(root, tmp_path / "s2"), stage)

    visible = CatalogStore(root).entries()
    assert [(e.name, e.version) for e in visible] == [(NAME, 1)]
    assert tree(visible[0].version_dir) == before  # the old version untouched

    _publish(root, tmp_path / "s2")
    expected, found = _dataset_tree(reference), _dataset_tree(root)
    record_property("bytes_lost", lost_bytes(expected, found))
    assert found == expected
    assert [v["version"] for v in CatalogStore(root).versions(NAME)] == [1, 2]
    # a third run finds nothing to do
    assert not LocalTarget(root).publish(
        request_for(tmp_path / "s2", {**DATASET, "name": NAME})).changed


def _run_cli(home: Path, kill_at: str | None = None, *options: str,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cli = Path(sys.executable).with_name("publisher")
    return subprocess.run([str(cli), "run", str(ROOT / "pipelines" / "defect-reports.yaml"),
                           "--home", str(home), *options], capture_output=True, text=True,
                          timeout=300, check=False, env={**child_env(kill_at), **(env or {})},
                          cwd=ROOT)


def test_a_pipeline_killed_while_committing_publishes_every_record_on_rerun(
        tmp_path: Path, record_property: Any) -> None:
    reference = tmp_path / "reference"
    assert _run_cli(reference).returncode == 0
    home = tmp_path / "home"
    killed = _run_cli(home, "local-rows-written")
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert CatalogStore(home / "catalog").entries() == []
    again = _run_cli(home)
    assert again.returncode == 0, again.stdout + again.stderr

    def data(root: Path) -> dict[str, Any]:  # the run's reports carry its id and time
        return {p: v for p, v in tree(root / "catalog" / "datasets").items()
                if "/reports/" not in p}

    expected, found = data(reference), data(home)
    record_property("bytes_lost", lost_bytes(expected, found))
    assert found == expected and expected
    csv = next(p for p in found if p.endswith(".csv"))
    lines = [(r / "catalog" / "datasets" / csv).read_text().count("\n")
             for r in (reference, home)]
    record_property("records_lost", lines[0] - lines[1])
    assert lines[0] == lines[1] > 1


def test_a_killed_runs_staging_directory_is_removed_by_the_next_run(tmp_path: Path) -> None:
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    tmp.mkdir()
    killed = _run_cli(home, "local-files-written", env={"TMPDIR": str(tmp)})
    assert killed.returncode == -9, killed.stderr[-2000:]
    [left] = (home / "staging").glob("run-*")  # the staged package is still in there
    assert stat.S_IMODE(left.stat().st_mode) == 0o700
    assert list(left.glob("staged/**/*.csv"))
    assert list(tmp.iterdir()) == []  # and nothing of it in the system's temporary directory

    again = _run_cli(home, None, "--json")
    assert again.returncode == 0, again.stdout + again.stderr
    [run] = json.loads(again.stdout)["runs"]
    assert run["staging_removed"] == 1
    assert "removed 1 staging directory of killed runs" in run["message"]
    assert list((home / "staging").glob("run-*")) == []
