"""`--cluster` on `publisher check` and `publisher run`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from publisher.cli import app
from tests.cluster.conftest import LocalCluster
from tests.conftest import ROOT

runner = CliRunner()
DEFECTS = ROOT / "pipelines" / "samples" / "defect-reports"


def test_check_with_cluster_gives_the_report_of_one_process(local_cluster: LocalCluster) -> None:
    args = ["check", str(DEFECTS), "--policy", "de-open-data", "--json", "--quiet"]
    alone = runner.invoke(app, args)
    on_cluster = runner.invoke(app, [*args, "--cluster", local_cluster.address])
    assert alone.exit_code == on_cluster.exit_code == 1  # the raw sample is blocked
    assert json.loads(on_cluster.stdout) == json.loads(alone.stdout)


def test_run_takes_the_cluster_from_the_environment(tmp_path: Path, local_cluster: LocalCluster,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_CLUSTER", local_cluster.address)
    done = runner.invoke(app, ["run", str(ROOT / "pipelines" / "defect-reports.yaml"),
                               "--home", str(tmp_path / "home"), "--json", "--quiet"])
    assert done.exit_code == 0, done.stdout


@pytest.mark.parametrize("command", ["check", "run"])
def test_unreachable_cluster_is_a_clear_message(tmp_path: Path, command: str) -> None:
    target = ([str(DEFECTS), "--policy", "de-open-data"] if command == "check"
              else [str(ROOT / "pipelines" / "defect-reports.yaml"),
                    "--home", str(tmp_path / "home")])
    done = runner.invoke(app, [command, *target, "--cluster", "tcp://127.0.0.1:9", "--json"])
    assert done.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.output
    assert "Traceback" not in done.output


def test_malformed_cluster_address_is_refused() -> None:
    done = runner.invoke(app, ["check", str(DEFECTS), "--policy", "de-open-data",
                               "--cluster", "localhost"])
    assert done.exit_code == 2 and "cluster" in done.output
