"""The row-wise steps' pass on the workers (publisher.cluster.rows): the same
written bytes and step figures as one process, on the shipped defect-report
sample and on 60,000 generated reports cut into about 10 ranges (lat/lon and
WKT); a whole run through k-anonymise publishes the same bytes; a change that
fails on a worker ends in the single-process error with nothing published; a
worker killed in the middle of the pass is survived; a working directory the
workers cannot write to is named."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import Any

import cloudpickle  # type: ignore[import-untyped]
import pytest
import yaml

from publisher.cluster import passes_for, rows, scan, validate
from publisher.cluster.client import ClusterError
from publisher.errors import InputError
from publisher.package.frames import file_columns, record_frames
from publisher.package.loader import load_package
from publisher.package.model import Projection
from publisher.pipeline.run import RunResult, Status, run_pipeline
from publisher.settings import load_settings
from publisher.steps.base import StepContext, run_steps, steps
from publisher.steps.rowpass import Pass, write_records
from tests.cluster.conftest import LocalCluster
from tests.cluster.test_cluster_run import DEFECTS, _published
from tests.conftest import ROOT

SAMPLE = ROOT / "pipelines" / "samples" / "defect-reports"
SECRET = "a-test-key-of-enough-length"
ROW_WISE: list[dict[str, Any]] = [
    {"type": "drop-columns", "resource": "reports", "columns": ["reporter_name"]},
    {"type": "redact-text", "resource": "reports", "columns": ["description"]},
    {"type": "pseudonymise", "resource": "reports", "columns": ["reporter_email"]},
    {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
     "unit": "hour"},
    {"type": "band-numbers", "resource": "reports", "columns": ["id"], "width": 1000},
    {"type": "reduce-precision", "resource": "reports", "decimals": 3},
]


@pytest.fixture
def on_workers(monkeypatch: pytest.MonkeyPatch) -> list[bool | str]:
    """Whether each row-wise pass offered to the cluster ran on its workers (or the
    name of the error it raised)."""
    calls: list[bool | str] = []
    rewrite = rows.rewrite_ranges_on

    def recorded(*args: Any, **kwargs: Any) -> list[str] | None:
        try:
            result = rewrite(*args, **kwargs)
        except Exception as exc:
            calls.append(type(exc).__name__)
            raise
        calls.append(result is not None)
        return result

    monkeypatch.setattr(rows, "rewrite_ranges_on", recorded)
    return calls


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The resources each call of the cluster's identifier scan scanned."""
    calls: list[list[str]] = []
    prescan = scan.prescan

    def recorded(*args: Any, **kwargs: Any) -> list[str]:
        calls.append(prescan(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(scan, "prescan", recorded)
    return calls


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """The CSV files the cluster was asked to validate (their folder and name), and
    whether its workers did."""
    calls: list[tuple[str, bool]] = []
    ranges = validate.validate_ranges_on

    def recorded(plan: Any, *args: Any, **kwargs: Any) -> Any:
        result = ranges(plan, *args, **kwargs)
        calls.append((f"{Path(plan.path).parent.name}/{Path(plan.path).name}",
                      result is not None))
        return result

    monkeypatch.setattr(validate, "validate_ranges_on", recorded)
    return calls


def _steps(specs: list[dict[str, Any]]) -> list[Any]:
    chosen = []
    for spec in specs:
        kind = steps.get(spec["type"])
        chosen.append(kind(kind.Params.model_validate(
            {k: v for k, v in spec.items() if k != "type"})))
    return chosen


def _rewritten(package_dir: Path, work: Path, address: str | None,
               specs: list[dict[str, Any]] = ROW_WISE) -> tuple[list[dict[str, Any]], bytes]:
    """The steps' figures and the file their pass wrote."""
    package = load_package(str(package_dir))
    context = StepContext(secret=SECRET, passes=passes_for(address), workdir=work)
    outcomes = run_steps(_steps(specs), package, context)
    [resource] = package.resources
    assert resource.projection is not None and resource.projection.file.parent == work
    assert sorted(p.name for p in work.iterdir()) == [resource.projection.file.name]
    return [o.stats for o in outcomes], resource.projection.file.read_bytes()


def test_the_sample_is_rewritten_on_the_workers_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, on_workers: list[bool | str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)  # about 7 ranges of the sample
    single = _rewritten(SAMPLE, tmp_path / "single", None)
    on_cluster = _rewritten(SAMPLE, tmp_path / "cluster", local_cluster.address)
    assert on_workers == [True, True]  # band-numbers reads the column: two passes
    assert single[0][1]["cells_redacted"] > 0 and single[0][2]["values"] > 0
    assert on_cluster == single


@pytest.mark.parametrize("shape", ["latlon", "wkt"])
def test_generated_reports_are_rewritten_on_the_workers_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path, on_workers: list[bool | str],
        shape: str, small_ranges: list[int]) -> None:
    single = _rewritten(reports / shape, tmp_path / "single", None)
    on_cluster = _rewritten(reports / shape, tmp_path / "cluster", local_cluster.address)
    assert on_workers == [True, True] and min(small_ranges) >= 5
    assert on_cluster == single


@pytest.mark.parametrize(("edit", "spread"), [("header only", False),
                                               ("a ragged record", False),
                                               ("a blank line", None)])
def test_files_that_are_hard_to_cut_are_rewritten_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, on_workers: list[bool | str],
        monkeypatch: pytest.MonkeyPatch, edit: str, spread: bool | None) -> None:
    """No record to cut, or one the single-process reader reads with the row rules:
    the client rewrites the file itself; a blank line (read as a record of empty
    cells by both)."""
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)
    package = tmp_path / "package"
    shutil.copytree(SAMPLE, package)
    csv = package / "reports.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    if edit == "header only":
        lines = lines[:1]
    else:
        lines.insert(300, "\n" if edit == "a blank line" else "7777,2024-03-01T10:00:00Z\n")
    csv.write_text("".join(lines), encoding="utf-8")
    specs = ROW_WISE[1:4]  # no band-numbers: it reads the column first
    single = _rewritten(package, tmp_path / "single", None, specs)
    on_cluster = _rewritten(package, tmp_path / "cluster", local_cluster.address, specs)
    if spread is not None:
        assert on_workers == [spread]
    assert on_cluster == single


def _kanon_pipeline(folder: Path, source: Path) -> Path:
    """The shipped defect-report pipeline with the row-wise steps and k-anonymise."""
    spec = yaml.safe_load(DEFECTS.read_text(encoding="utf-8"))
    spec["source"] = str(source)
    spec["name"] = "defect-reports-k5"
    spec["steps"] = [
        {"type": "drop-columns", "resource": "reports",
         "columns": ["reporter_name", "reporter_email", "description"]},
        {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
         "unit": "day"},
        {"type": "reduce-precision", "resource": "reports", "decimals": 2},
        {"type": "k-anonymise", "resource": "reports", "k": 5, "quasi_identifiers": [
            {"column": "reported_at", "kind": "datetime", "levels": ["day", "month"]},
            {"column": "category"}, {"column": "status"}]}]
    spec["dataset"] = {**spec["dataset"], "name": "maengelmelder-k5", "title": "Meldungen k5"}
    path = folder / "k5.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _same(single: RunResult, on_cluster: RunResult) -> None:
    for stage in ("validate", "check", "recheck", "output"):
        assert on_cluster.reports[stage].findings == single.reports[stage].findings
        assert on_cluster.reports[stage].stats == single.reports[stage].stats
    assert on_cluster.steps == single.steps  # the step figures
    assert _published(on_cluster) == _published(single)


def test_a_run_of_row_wise_steps_publishes_the_same_bytes(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path, on_workers: list[bool | str],
        scanned: list[list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)
    spec = yaml.safe_load(DEFECTS.read_text(encoding="utf-8"))
    spec.update(source=str(reports / "wkt"), name="defect-reports-rows", steps=[
        {"type": "drop-columns", "resource": "reports",
         "columns": ["reporter_name", "reporter_email"]},
        {"type": "redact-text", "resource": "reports", "columns": ["description"]},
        {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
         "unit": "day"},
        {"type": "reduce-precision", "resource": "reports", "decimals": 2}])
    spec["dataset"] = {**spec["dataset"], "name": "maengelmelder-rows", "title": "Meldungen"}
    pipeline = tmp_path / "rows.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    single = run_pipeline(pipeline, load_settings(home=tmp_path / "single"))
    on_cluster = run_pipeline(pipeline, load_settings(home=tmp_path / "cluster",
                                                      cluster=local_cluster.address))
    assert on_workers == [True]  # one pass for the three steps
    assert scanned == [["reports"], ["reports"]]
    assert single.steps[1]["stats"]["cells_redacted"] > 0
    _same(single, on_cluster)


def test_a_run_through_k_anonymise_publishes_the_same_bytes(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path, on_workers: list[bool | str],
        scanned: list[list[str]], validated: list[tuple[str, bool]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)
    monkeypatch.setattr(rows, "INLINE_BYTES", 0)  # the changes sent to every worker once
    pipeline = _kanon_pipeline(tmp_path, reports / "latlon")
    single = run_pipeline(pipeline, load_settings(home=tmp_path / "single"))
    on_cluster = run_pipeline(pipeline, load_settings(home=tmp_path / "cluster",
                                                      cluster=local_cluster.address))
    # truncate-datetime and reduce-precision in one pass; k-anonymise's columns in another
    assert on_workers == [True, True]
    # the re-check scans the file the steps wrote on the workers too
    assert scanned == [["reports"], ["reports"]]
    # and the staged output is validated there
    assert validated == [("latlon/reports.csv", True), ("data/reports.csv", True)]
    assert single.steps[-1]["stats"]["k_reached"] >= 5
    _same(single, on_cluster)


def _bad_package(tmp_path: Path) -> Path:
    """The sample with two cells of reported_at that are no dates, in later ranges of
    16 KiB; the field typed string, so that the package validates."""
    package = tmp_path / "package"
    shutil.copytree(SAMPLE, package)
    descriptor = package / "datapackage.json"
    meta = json.loads(descriptor.read_text(encoding="utf-8"))
    for field in meta["resources"][0]["schema"]["fields"]:
        if field["name"] == "reported_at":
            field["type"] = "string"
            field.pop("format", None)
    descriptor.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    csv = package / "reports.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    for number in (401, 550):  # line 401 (from 0) is row 402
        lines[number] = lines[number].replace(",2024-", ",kaputt-", 1)
    csv.write_text("".join(lines), encoding="utf-8")
    return package


def test_a_bad_cell_fails_on_the_workers_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, on_workers: list[bool | str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)
    pipeline = _kanon_pipeline(tmp_path, _bad_package(tmp_path))
    single = run_pipeline(pipeline, load_settings(home=tmp_path / "single"))
    on_cluster = run_pipeline(pipeline, load_settings(home=tmp_path / "cluster",
                                                      cluster=local_cluster.address))
    assert single.status is not Status.PUBLISHED
    assert "402" in (single.message or ""), single.message
    assert (on_cluster.status, on_cluster.message) == (single.status, single.message)
    assert on_cluster.publish is None and not list((tmp_path / "cluster").rglob("*.part-*"))
    assert on_workers == ["InputError"]  # raised by the pass on the workers


def test_a_change_that_raises_on_a_worker_leaves_no_part(
        tmp_path: Path, local_cluster: LocalCluster, on_workers: list[bool | str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)
    package = _bad_package(tmp_path)
    specs = [{"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
              "unit": "hour"}]
    errors = []
    for address, work in ((None, tmp_path / "single"), (local_cluster.address,
                                                          tmp_path / "cluster")):
        with pytest.raises(InputError) as raised:
            _rewritten(package, work, address, specs)
        errors.append(str(raised.value))
        assert not [p for p in work.iterdir() if "part" in p.name]
    assert "402" in errors[0], errors[0]
    assert errors[1] == errors[0]
    assert on_workers == ["InputError"]


def test_a_worker_killed_mid_pass_is_survived(tmp_path: Path, local_cluster: LocalCluster,
                                              reports: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)
    single = _rewritten(reports / "latlon", tmp_path / "single", None)
    on_cluster = local_cluster.killing_a_worker("rewrite_part", lambda: _rewritten(
        reports / "latlon", tmp_path / "cluster", local_cluster.address))
    assert on_cluster == single


def test_a_working_directory_the_workers_cannot_write_to_is_named(
        tmp_path: Path, local_cluster: LocalCluster) -> None:
    package = load_package(str(SAMPLE))
    [resource] = package.resources
    work = tmp_path / "work"
    context = StepContext(secret=SECRET, workdir=work)
    # queue a change without running it, to build the pass a worker would be handed
    run_steps(_steps(ROW_WISE[3:4]), package, context)
    source = resource.projection
    assert source is not None
    job = Pass(dataclasses.replace(resource, path=None, data=None, views={}), source,
               (lambda frame: frame,), (), False, (), frozenset(source.columns),
               tmp_path / "not-on-the-workers" / "rows.csv")
    with pytest.raises(ClusterError, match="not-on-the-workers") as raised:
        rows.rewrite_ranges_on(job, local_cluster.address)
    assert "cannot write to the run's working directory" in str(raised.value)
    assert not (tmp_path / "not-on-the-workers").exists()


def test_changes_of_more_than_100_kb_are_run_on_the_workers(
        tmp_path: Path, local_cluster: LocalCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pass whose pickled changes are over 100 kB (k-anonymise's on a few thousand
    records) runs on the workers as in one process: such a blob given to Client.map as
    a keyword became a graph node keyed 'job', which the scheduler failed on."""
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)
    [resource] = load_package(str(SAMPLE)).resources
    columns = file_columns(resource)
    assert columns is not None and resource.path is not None
    source = Projection(resource.path, tuple(columns))
    padding = "x" * 200_000  # travels with the change

    def change(frame: Any) -> Any:
        return frame.assign(status=frame["status"].str.upper() + padding[:1])

    view = dataclasses.replace(resource, data=None, views={})
    job = Pass(view, source, (change,), (), False, (), frozenset(columns), tmp_path / "rows.csv")
    assert len(cloudpickle.dumps(job)) > 100_000
    assert rows.rewrite_ranges_on(job, local_cluster.address) == columns
    single = tmp_path / "single.csv"
    write_records(dataclasses.replace(job, path=single), record_frames(view, geometry=False),
                  single)
    assert job.path.read_bytes() == single.read_bytes()
