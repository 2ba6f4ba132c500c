"""Whole runs with the cluster set: the same check findings (row numbers included)
and the same published bytes as the single-process run, on the shipped
defect-reports pipeline and on a generated package of 60,000 reports; and a
worker killed in the middle of a run is survived."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.cluster import grid, passes_for, scan
from publisher.package.loader import load_package
from publisher.pipeline.run import RunResult, Status, run_pipeline
from publisher.report import Report
from publisher.rules.policy import check_package, load_policy
from publisher.settings import load_settings
from publisher.steps.grid_aggregate import GridCounts
from tests.cluster.conftest import ROWS, LocalCluster
from tests.conftest import ROOT

DEFECTS = ROOT / "pipelines" / "defect-reports.yaml"
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)")


def _published(result: RunResult) -> dict[str, bytes]:
    """The published files by name; the audit page's run id and times (which
    differ between any two runs) replaced."""
    assert result.status is Status.PUBLISHED, result.message
    assert result.publish is not None
    files: dict[str, bytes] = {}
    for name in result.publish.files:
        data = Path(name).read_bytes()
        if name.endswith(".html"):
            data = STAMP.sub("TIME", data.decode("utf-8").replace(result.run_id, "RUN")).encode()
        files[Path(name).name] = data
    return files


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """What each call of the cluster scan handed to the rules (resource names)."""
    calls: list[list[str]] = []
    prescan = scan.prescan

    def recorded(*args: Any, **kwargs: Any) -> list[str]:
        calls.append(prescan(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(scan, "prescan", recorded)
    return calls


@pytest.fixture
def gridded(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each call of the cluster's grid count counted on the workers (it
    says None when it leaves the resource to the client)."""
    calls: list[bool] = []
    counts = grid.grid_counts

    def recorded(*args: Any, **kwargs: Any) -> GridCounts | None:
        result = counts(*args, **kwargs)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(grid, "grid_counts", recorded)
    return calls


def _same_run(single: RunResult, on_cluster: RunResult) -> None:
    assert on_cluster.reports["check"].findings == single.reports["check"].findings
    assert on_cluster.reports["check"].stats == single.reports["check"].stats  # counts
    assert on_cluster.reports["recheck"].findings == single.reports["recheck"].findings
    assert _published(on_cluster) == _published(single)


def test_defect_reports_pipeline_publishes_the_same_bytes(
        tmp_path: Path, local_cluster: LocalCluster, scanned: list[list[str]],
        gridded: list[bool]) -> None:
    single = run_pipeline(DEFECTS, load_settings(home=tmp_path / "single"))
    on_cluster = run_pipeline(DEFECTS, load_settings(home=tmp_path / "cluster",
                                                     cluster=local_cluster.address))
    assert any(f.row for f in single.reports["check"].findings)
    # the check stage's scan ran on the workers; the re-check's reads grid-aggregate's
    # cells, which are in memory
    assert scanned == [["reports"], []]
    assert gridded == [True]  # and so did grid-aggregate's count
    _same_run(single, on_cluster)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory, reports: Path
          ) -> Iterator[tuple[Path, RunResult]]:
    """A pipeline over 60,000 generated defect reports, and its single-process run."""
    root = tmp_path_factory.mktemp("large")
    spec = DEFECTS.read_text(encoding="utf-8").replace("source: samples/defect-reports",
                                                       "source: latlon")
    pipeline = reports / "large.yaml"
    pipeline.write_text(spec, encoding="utf-8")
    yield pipeline, run_pipeline(pipeline, load_settings(home=root / "single"))


def test_generated_package_publishes_the_same_bytes(
        tmp_path: Path, local_cluster: LocalCluster, large: tuple[Path, RunResult],
        monkeypatch: pytest.MonkeyPatch, scanned: list[list[str]], gridded: list[bool]) -> None:
    pipeline, single = large
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)  # about 10 ranges, not 1
    on_cluster = run_pipeline(pipeline, load_settings(home=tmp_path / "cluster",
                                                      cluster=local_cluster.address))
    by_field = single.reports["check"].stats["rule_stats"]["phone-in-text"]["by_field"]
    assert by_field["reports.description"] > ROWS // 20
    assert scanned == [["reports"], []]
    assert gridded == [True]
    _same_run(single, on_cluster)


def test_a_worker_killed_mid_run_is_survived(local_cluster: LocalCluster,
                                             large: tuple[Path, RunResult],
                                             reports: Path) -> None:
    _, single = large
    package = load_package(str(reports / "latlon"))
    policy = load_policy("de-open-data")
    report = local_cluster.killing_a_worker("scan_part", lambda: check_package(
        policy, package, passes=passes_for(local_cluster.address)))
    assert isinstance(report, Report)
    assert report.findings == single.reports["check"].findings
