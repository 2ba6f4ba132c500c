"""Staging's write of a CSV file on the workers (publisher.cluster.stage): the same
staged bytes, descriptor (bbox, schema) and content hash as one process, on the
shipped defect-report sample and on 60,000 generated reports cut into about 10
ranges (lat/lon and WKT, as loaded and after a row-wise pass; a formula cell, a
carriage return in a late range that quotes the whole file); a whole run
publishes the same bytes; files that are hard to cut are written by the client;
a worker's error is the single-process one; a folder the workers cannot write
to is named."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from publisher.cluster import passes_for, scan, stage
from publisher.cluster.client import ClusterError
from publisher.limits import LimitError
from publisher.package.loader import load_package
from publisher.package.model import Package
from publisher.package.writer import WrittenCsv
from publisher.pipeline.run import run_pipeline
from publisher.pipeline.staging import content_hash
from publisher.pipeline.staging import stage as stage_package
from publisher.settings import load_settings
from publisher.steps.base import StepContext, run_steps, steps
from tests.cluster.conftest import LocalCluster
from tests.cluster.test_cluster_run import DEFECTS, _published
from tests.conftest import ROOT

SAMPLE = ROOT / "pipelines" / "samples" / "defect-reports"
ROW_WISE: list[dict[str, Any]] = [
    {"type": "drop-columns", "resource": "reports", "columns": ["reporter_name"]},
    {"type": "redact-text", "resource": "reports", "columns": ["reporter_email"]},
    {"type": "reduce-precision", "resource": "reports", "decimals": 3},
]


@pytest.fixture
def on_workers(monkeypatch: pytest.MonkeyPatch) -> list[bool | str]:
    """Whether each staged CSV file offered to the cluster was written by its workers
    (or the name of the error raised)."""
    calls: list[bool | str] = []
    write = stage.write_ranges_on

    def recorded(*args: Any, **kwargs: Any) -> WrittenCsv | None:
        try:
            result = write(*args, **kwargs)
        except Exception as exc:
            calls.append(type(exc).__name__)
            raise
        calls.append(result is not None)
        return result

    monkeypatch.setattr(stage, "write_ranges_on", recorded)
    return calls


def _steps(specs: list[dict[str, Any]]) -> list[Any]:
    chosen = []
    for spec in specs:
        kind = steps.get(spec["type"])
        chosen.append(kind(kind.Params.model_validate(
            {k: v for k, v in spec.items() if k != "type"})))
    return chosen


def _loaded(package_dir: Path, work: Path, row_wise: bool) -> Package:
    """The package as loaded; ROW_WISE: after a pass of row-wise steps in this process
    (its records then a file whose coordinates are written as the writer writes them)."""
    package = load_package(str(package_dir))
    if row_wise:
        run_steps(_steps(ROW_WISE), package, StepContext(secret="k" * 32, workdir=work))
        assert package.resources[0].projection is not None
    return package


def _staged(package_dir: Path, folder: Path, address: str | None,
            row_wise: bool = False) -> tuple[dict[str, bytes], str]:
    """The staged files by path (the CSV and datapackage.json), and their content hash."""
    package = _loaded(package_dir, folder / "steps", row_wise)
    out = folder / "staged"
    files = stage_package(package, out, passes_for(address))
    written = {p.relative_to(out).as_posix(): p.read_bytes()
               for p in sorted(out.rglob("*")) if p.is_file()}
    assert sorted(written) == sorted(f.path for f in files)  # no part left behind
    return written, content_hash(files, {"name": "x"})


def _edited(source: Path, folder: Path, cells: dict[int, str], column: str = "description"
            ) -> Path:
    """A copy of a generated package with the COLUMN cell of some records (by their
    id) replaced; the other lines keep their bytes."""
    shutil.copytree(source, folder)
    path = folder / "reports.csv"
    lines = path.read_bytes().split(b"\n")
    header = next(csv.reader([lines[0].decode("utf-8")]))
    for number, text in cells.items():
        [record] = list(csv.reader([lines[number].decode("utf-8")]))
        assert record[0] == str(number)
        record[header.index(column)] = text
        out = io.StringIO()
        csv.writer(out).writerow(record)  # a CR quoted as in a line ending \r\n
        lines[number] = out.getvalue().removesuffix("\r\n").encode("utf-8")
    path.write_bytes(b"\n".join(lines))
    return folder


def test_the_sample_is_staged_on_the_workers_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, on_workers: list[bool | str],
        cut_ranges: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)  # about 7 ranges of the sample
    single = _staged(SAMPLE, tmp_path / "single", None)
    on_cluster = _staged(SAMPLE, tmp_path / "cluster", local_cluster.address)
    assert on_workers == [True] and cut_ranges[0] >= 5
    assert on_cluster == single
    assert b'"bbox"' in single[0]["datapackage.json"]


@pytest.mark.parametrize(("shape", "row_wise", "lone_cr"), [("latlon", False, True),
                                                            ("latlon", True, False),
                                                            ("wkt", False, True)])
def test_generated_reports_are_staged_on_the_workers_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path, on_workers: list[bool | str],
        cut_ranges: list[int], monkeypatch: pytest.MonkeyPatch, shape: str, row_wise: bool,
        lone_cr: bool) -> None:
    """A formula cell early, and (LONE_CR) a carriage return in a cell of a late range:
    every cell of the file is then quoted, by one process and by the workers."""
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)  # about 10 ranges, not 1
    cells = {3000: "=1+1", **({55_000: "Zeile eins\rZeile zwei"} if lone_cr else {})}
    package = _edited(reports / shape, tmp_path / "package", cells)
    single = _staged(package, tmp_path / "single", None, row_wise)
    on_cluster = _staged(package, tmp_path / "cluster", local_cluster.address, row_wise)
    assert on_workers == [True] and min(cut_ranges) >= 5
    assert on_cluster == single
    data = single[0]["data/reports.csv"]
    assert data.startswith(b'"id"') is lone_cr  # quoted throughout
    assert b"'=1+1" in data
    assert (b"Zeile eins\rZeile zwei" in data) is lone_cr


@pytest.mark.parametrize(("edit", "spread"), [("header only", False),
                                               ("a ragged record", False),
                                               ("a blank line", None)])
def test_files_that_are_hard_to_cut_are_staged_as_in_one_process(
        tmp_path: Path, local_cluster: LocalCluster, on_workers: list[bool | str],
        monkeypatch: pytest.MonkeyPatch, edit: str, spread: bool | None) -> None:
    """No record to cut, or a record one process reads with the whole-table reader's
    row rules: the client writes the file itself; a blank line (read as a record of
    empty cells by both): the same bytes."""
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)
    package = tmp_path / "package"
    shutil.copytree(SAMPLE, package)
    path = package / "reports.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if edit == "header only":
        lines = lines[:1]
    else:
        lines.insert(300, "\n" if edit == "a blank line" else "7777,2024-03-01T10:00:00Z\n")
    path.write_text("".join(lines), encoding="utf-8")
    single = _staged(package, tmp_path / "single", None)
    on_cluster = _staged(package, tmp_path / "cluster", local_cluster.address)
    if spread is not None:
        assert on_workers == [spread]
    assert on_cluster == single


def test_an_error_on_a_worker_is_the_one_of_one_process(
        tmp_path: Path, local_cluster: LocalCluster, reports: Path,
        on_workers: list[bool | str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A WKT text nested too deeply in a late range (validation would have refused
    it; here the writer meets it): the same LimitError, row included; no part left."""
    monkeypatch.setattr(scan, "PART_BYTES", 1024**2)
    deep = "GEOMETRYCOLLECTION (" * 200 + "POINT (12 51)" + ")" * 200
    package = _edited(reports / "wkt", tmp_path / "package", {50_000: deep}, column="wkt")
    errors = []
    for address, folder in ((None, tmp_path / "single"),
                            (local_cluster.address, tmp_path / "cluster")):
        with pytest.raises(LimitError) as raised:
            _staged(package, folder, address)
        errors.append(raised.value.to_dict())
        assert not [p for p in (folder / "staged" / "data").iterdir() if "part" in p.name]
    assert "row 50001" in str(errors[0]["message"]), errors[0]
    assert errors[1] == errors[0]
    assert on_workers == ["LimitError"]


def test_a_folder_the_workers_cannot_write_to_is_named(
        tmp_path: Path, local_cluster: LocalCluster) -> None:
    [resource] = load_package(str(SAMPLE)).resources
    target = tmp_path / "not-on-the-workers" / "reports.csv"
    with pytest.raises(ClusterError, match="not-on-the-workers") as raised:
        stage.write_ranges_on(resource, resource.field_names, target, local_cluster.address)
    assert "cannot write the staged file" in str(raised.value)
    assert not (tmp_path / "not-on-the-workers").exists()


def test_a_run_stages_on_the_workers_and_publishes_the_same_bytes(
        tmp_path: Path, local_cluster: LocalCluster, on_workers: list[bool | str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan, "PART_BYTES", 16 * 1024)
    spec = yaml.safe_load(DEFECTS.read_text(encoding="utf-8"))
    spec.update(source=str(SAMPLE), name="defect-reports-staged", steps=[
        {"type": "drop-columns", "resource": "reports",
         "columns": ["reporter_name", "reporter_email", "description"]},
        {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
         "unit": "day"},
        {"type": "reduce-precision", "resource": "reports", "decimals": 2}])
    spec["dataset"] = {**spec["dataset"], "name": "maengelmelder-staged", "title": "Meldungen"}
    pipeline = tmp_path / "staged.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
    single = run_pipeline(pipeline, load_settings(home=tmp_path / "single"))
    on_cluster = run_pipeline(pipeline, load_settings(home=tmp_path / "cluster",
                                                      cluster=local_cluster.address))
    assert on_workers == [True]
    assert on_cluster.reports["output"].findings == single.reports["output"].findings
    assert _published(on_cluster) == _published(single)
