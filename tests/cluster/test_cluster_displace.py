"""displace-points on the workers (publisher.cluster.rows): its change, with the
address points and districts it carries, runs on byte ranges of the CSV file in
the same pass as its row-wise neighbours; the figures (merged from the ranges'
tallies) and the written bytes are those of one process, on 60,000 generated
reports (lat/lon and WKT) and in a whole run that publishes. The client never
runs the change nor reads the records for the pass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from publisher.cluster import passes_for, rows, scan
from publisher.package.loader import load_package
from publisher.pipeline.run import run_pipeline
from publisher.settings import load_settings
from publisher.steps import _stream, displace_points
from publisher.steps.base import StepContext, run_steps
from tests.cluster.conftest import LocalCluster
from tests.cluster.test_cluster_rows import _same, _steps
from tests.cluster.test_cluster_run import DEFECTS
from tests.conftest import ROOT

SECRET = "a-test-key-of-enough-length"
LAYERS = ROOT / "tests" / "cases" / "steps"
DISPLACE: dict[str, Any] = {
    "type": "displace-points", "resource": "reports", "k": 3,
    "reference": {"file": str(LAYERS / "displace" / "addresses.geojson")},
    "within": {"file": str(LAYERS / "bezirke.geojson")}}
PASS: list[dict[str, Any]] = [
    {"type": "redact-text", "resource": "reports", "columns": ["description"]},
    DISPLACE]


def _on_workers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each row-wise pass offered to the cluster ran on its workers. From now
    on the client may neither run displace-points' change nor read the records for
    a pass (the workers run the module as imported there)."""
    calls: list[bool] = []
    rewrite = rows.rewrite_ranges_on

    def recorded(*args: Any, **kwargs: Any) -> list[str] | None:
        result = rewrite(*args, **kwargs)
        calls.append(result is not None)
        return result

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the client ran the pass over the records")

    monkeypatch.setattr(rows, "rewrite_ranges_on", recorded)
    monkeypatch.setattr(_stream, "record_frames", refused)
    monkeypatch.setattr(displace_points._Displace, "__call__", refused)
    return calls


def _rewritten(package_dir: Path, work: Path, address: str | None,
               specs: list[dict[str, Any]] = PASS) -> tuple[list[dict[str, Any]], bytes]:
    """The steps' figures and the file their one pass wrote."""
    package = load_package(str(package_dir))
    context = StepContext(secret=SECRET, passes=passes_for(address), workdir=work)
    outcomes = run_steps(_steps(specs), package, context)
    [resource] = package.resources
    assert resource.projection is not None and resource.projection.file.parent == work
    assert context.chain is not None and context.chain.passes == 1
    return [o.stats for o in outcomes], resource.projection.file.read_bytes()


@pytest.mark.parametrize("shape", ["latlon", "wkt"])
def test_generated_reports_are_displaced_on_the_workers_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path,
        monkeypatch: pytest.MonkeyPatch, shape: str, small_ranges: list[int]) -> None:
    single = _rewritten(reports / shape, tmp_path / "single", None)
    calls = _on_workers(monkeypatch)
    on_cluster = _rewritten(reports / shape, tmp_path / "cluster", local_cluster.address)
    assert calls == [True] and min(small_ranges) >= 5
    figures = single[0][1]["resources"]["reports"]
    assert figures["points_displaced"] > 1000 and figures["points_suppressed"] > 1000
    assert single[0][0]["cells_redacted"] > 0
    assert on_cluster == single


def _pipeline(folder: Path, source: Path) -> Path:
    """The shipped defect-report pipeline with its points displaced instead of
    counted per cell, in one pass with truncate-datetime and reduce-precision."""
    spec = yaml.safe_load(DEFECTS.read_text(encoding="utf-8"))
    spec.update(source=str(source), name="defect-reports-displaced", steps=[
        {"type": "drop-columns", "resource": "reports",
         "columns": ["reporter_name", "reporter_email", "description"]},
        {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
         "unit": "day"},
        DISPLACE,
        {"type": "reduce-precision", "resource": "reports", "decimals": 3}])
    spec["dataset"] = {**spec["dataset"], "name": "maengelmelder-versetzt",
                       "title": "Meldungen versetzt"}
    path = folder / "displaced.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def test_a_run_that_displaces_points_publishes_the_same_bytes(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)
    monkeypatch.setattr(rows, "INLINE_BYTES", 0)  # the change sent to every worker once
    pipeline = _pipeline(tmp_path, reports / "latlon")
    single = run_pipeline(pipeline, load_settings(home=tmp_path / "single", pseudonym_key=SECRET))
    calls = _on_workers(monkeypatch)
    on_cluster = run_pipeline(pipeline, load_settings(home=tmp_path / "cluster",
                                                      cluster=local_cluster.address,
                                                      pseudonym_key=SECRET))
    assert calls == [True]  # one pass for the three row-wise steps
    stats = single.steps[2]["stats"]
    assert stats["points_displaced"] > 1000 and stats["points_suppressed"] > 1000
    _same(single, on_cluster)


def test_ranges_whose_points_are_all_suppressed_are_written_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """k = 400 within 250 m: every point is suppressed, every range writes no record
    (the first its header)."""
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)
    specs = [PASS[0], DISPLACE | {"k": 400}]
    single = _rewritten(reports / "wkt", tmp_path / "single", None, specs)
    calls = _on_workers(monkeypatch)
    on_cluster = _rewritten(reports / "wkt", tmp_path / "cluster", local_cluster.address,
                            specs)
    assert calls == [True]
    assert single[0][1]["points_displaced"] == 0 and single[0][1]["points_suppressed"] > 0
    assert on_cluster == single
