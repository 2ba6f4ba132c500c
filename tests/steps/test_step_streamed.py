"""Steps on a CSV resource not read yet (drop-columns narrows it without reading;
grid-aggregate counts it batch by batch) publish the same bytes and figures as
on the whole table in memory; the input spans many batches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from publisher.errors import InputError
from publisher.package import batches, frames
from publisher.package.loader import load_package
from publisher.package.model import Package
from publisher.package.writer import write_package
from publisher.steps import _stream, grid_aggregate
from publisher.steps.base import StepContext, run_steps, steps

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "pipelines" / "samples" / "defect-reports"
DROP = {"type": "drop-columns", "resource": "reports",
        "columns": ["reporter_name", "reporter_email", "description"]}
CASES: dict[str, list[dict[str, Any]]] = {
    "shipped grid": [DROP, {"type": "grid-aggregate", "resource": "reports", "resolution": 100,
                            "min_count": 3, "merge_up": [1000, 10000]}],
    "grid by category, AT ladder": [
        DROP, {"type": "grid-aggregate", "resource": "reports", "resolution": 100,
               "min_count": 3, "by": ["category", "status"], "merge_up": [250, 500, 1000]}],
    "grid, suppressed only": [{"type": "grid-aggregate", "resource": "reports",
                               "resolution": 100, "min_count": 4}],
    "drop the geometry": [{"type": "drop-columns", "resource": "reports",
                           "columns": ["lat", "reporter_name"]}],
    "every row-wise step, then k-anonymise": [
        {"type": "redact-text", "resource": "reports", "columns": ["description"]},
        {"type": "pseudonymise", "resource": "reports",
         "columns": ["reporter_email", "reporter_name"]},
        {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
         "unit": "hour"},
        {"type": "reduce-precision", "resource": "reports", "decimals": 3},
        {"type": "band-numbers", "resource": "reports", "columns": ["id"], "width": 50},
        {"type": "truncate-postcode", "resource": "reports", "columns": ["status"], "keep": 3},
        {"type": "k-anonymise", "resource": "reports", "k": 3, "quasi_identifiers": [
            {"column": "reported_at", "kind": "datetime", "levels": ["day", "month"]},
            {"column": "category"}]}],
    "row-wise steps on the WKT shape": [
        {"type": "reduce-precision", "resource": "reports", "decimals": 2},
        {"type": "redact-text", "resource": "reports"}],
    # k-anonymise writes its classes back from the file reduce-precision wrote: its
    # WKT passes through as text, no shapes built
    "WKT rounded, then k-anonymised": [
        {"type": "reduce-precision", "resource": "reports", "decimals": 2},
        {"type": "k-anonymise", "resource": "reports", "k": 3, "quasi_identifiers": [
            {"column": "reported_at", "kind": "datetime", "levels": ["day", "month"]},
            {"column": "category"}]},
        {"type": "truncate-postcode", "resource": "reports", "columns": ["status"], "keep": 2}],
    "k-anonymise alone, with suppression": [
        {"type": "k-anonymise", "resource": "reports", "k": 4, "max_suppression": 0.2,
         "quasi_identifiers": [
             {"column": "reported_at", "kind": "datetime", "levels": ["day"]},
             {"column": "category"}, {"column": "status"}]}],
    "drop, then round and k-anonymise": [
        DROP, {"type": "reduce-precision", "resource": "reports", "decimals": 2},
        {"type": "k-anonymise", "resource": "reports", "k": 5, "quasi_identifiers": [
            {"column": "reported_at", "kind": "datetime", "levels": ["hour", "day", "month"]},
            {"column": "category"}, {"column": "status"}]}],
}


KEY = "a-test-key-of-some-length"
# steps that leave a resource not in memory (k-anonymise holds only its quasi-identifiers)
STREAMED = {"drop-columns", "redact-text", "pseudonymise", "truncate-datetime",
            "reduce-precision", "band-numbers", "truncate-postcode", "k-anonymise"}


def _run(package: Package, specs: list[dict[str, Any]],
         workdir: Path | None = None) -> list[dict[str, Any]]:
    """The steps' figures; with WORKDIR the row-wise steps stream through it."""
    stats = []
    for spec in specs:
        cls = steps.get(spec["type"])
        step = cls(cls.Params.model_validate({k: v for k, v in spec.items() if k != "type"}))
        stats.append(step.run(package, StepContext(secret=KEY, workdir=workdir)).stats)
    return stats


def _chained(package: Package, specs: list[dict[str, Any]],
             workdir: Path) -> tuple[list[dict[str, Any]], StepContext]:
    """The steps' figures when run as a whole run runs them: consecutive row-wise
    steps in one pass over the records."""
    chosen = []
    for spec in specs:
        cls = steps.get(spec["type"])
        chosen.append(cls(cls.Params.model_validate({k: v for k, v in spec.items()
                                                     if k != "type"})))
    context = StepContext(secret=KEY, workdir=workdir)
    return [o.stats for o in run_steps(chosen, package, context)], context


def _written(package: Package, out: Path) -> dict[str, bytes]:
    write_package(package, out)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("case", CASES)
def test_streamed_steps_publish_what_the_whole_table_does(case: str, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", 64)
    monkeypatch.setattr(grid_aggregate, "STREAM_ROWS", 64)
    monkeypatch.setattr(grid_aggregate, "MERGE_ROWS", 50)
    source = load_package(_source(case, tmp_path))
    whole, streamed = source.copy(), source.copy()
    for resource in whole.resources:
        resource.table()  # in memory: the whole-table path
    assert all(r.data is None for r in streamed.resources)
    whole_stats = _run(whole, CASES[case])
    streamed_stats = _run(streamed, CASES[case], tmp_path / "steps")
    assert streamed_stats == whole_stats
    if all(spec["type"] in STREAMED for spec in CASES[case]):  # no table held in memory
        assert all(r.data is None for r in streamed.resources)
    assert _written(streamed, tmp_path / "streamed") == _written(whole, tmp_path / "whole")


@pytest.mark.parametrize("case", CASES)
def test_chained_steps_publish_what_the_whole_table_does(case: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", 64)
    monkeypatch.setattr(grid_aggregate, "STREAM_ROWS", 64)
    monkeypatch.setattr(grid_aggregate, "MERGE_ROWS", 50)
    source = load_package(_source(case, tmp_path))
    whole, chained = source.copy(), source.copy()
    for resource in whole.resources:
        resource.table()
    whole_stats = _run(whole, CASES[case])
    chained_stats, _ = _chained(chained, CASES[case], tmp_path / "steps")
    assert chained_stats == whole_stats
    assert _written(chained, tmp_path / "chained") == _written(whole, tmp_path / "whole")


ROW_WISE = [
    DROP | {"columns": ["reporter_name"]},
    {"type": "redact-text", "resource": "reports", "columns": ["description"]},
    {"type": "pseudonymise", "resource": "reports", "columns": ["reporter_email"]},
    {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
     "unit": "hour"},
    {"type": "reduce-precision", "resource": "reports", "decimals": 3},
    {"type": "truncate-postcode", "resource": "reports", "columns": ["status"], "keep": 3},
]


def test_consecutive_row_wise_steps_read_and_write_the_records_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batches, "BATCH_ROWS", 64)
    package = load_package(SAMPLE).copy()
    files: list[Path] = []
    real = _stream._stream

    def counted(*args: Any) -> Any:
        projection = real(*args)
        files.append(projection.file)
        return projection

    monkeypatch.setattr(_stream, "_stream", counted)
    stats, context = _chained(package, ROW_WISE, tmp_path / "steps")
    assert len(files) == 1 and context.chain is not None and context.chain.passes == 1
    resource = package.resources[0]
    assert resource.data is None and resource.projection is not None
    assert resource.projection.file == files[0]
    assert "reporter_name" not in resource.projection.columns
    assert [p.name for p in (tmp_path / "steps").iterdir()] == [files[0].name]
    assert stats[1]["cells_redacted"] > 0 and stats[2]["values"] > 0
    assert stats[4]["resources"]["reports"]["points"] == 600
    # the figures are those of the steps run one pass each
    alone = load_package(SAMPLE).copy()
    assert _run(alone, ROW_WISE, tmp_path / "alone") == stats


def test_a_step_that_reads_records_sees_the_queued_changes(tmp_path: Path) -> None:
    """band-numbers reads its column before banding; k-anonymise its quasi-identifiers:
    both after the changes queued before them ran."""
    specs: list[dict[str, Any]] = [
        {"type": "truncate-datetime", "resource": "reports", "columns": ["reported_at"],
         "unit": "month"},
        {"type": "k-anonymise", "resource": "reports", "k": 2, "quasi_identifiers": [
            {"column": "reported_at", "kind": "datetime", "levels": ["year"]}]},
        {"type": "redact-text", "resource": "reports", "columns": ["description"]},
    ]
    package = load_package(SAMPLE).copy()
    stats, context = _chained(package, specs, tmp_path / "steps")
    assert context.chain is not None and context.chain.passes == 2  # k-anonymise read once
    assert stats[1]["resources"]["reports"]["k_before"] >= 2  # months, not exact times
    whole = load_package(SAMPLE).copy()
    whole.resources[0].table()
    assert _run(whole, specs) == stats


def _source(case: str, tmp_path: Path) -> Path:
    """The shipped sample; for the WKT case with its lat/lon as one WKT column."""
    if "WKT" not in case:
        return SAMPLE
    table = pd.read_csv(SAMPLE / "reports.csv", dtype=str, keep_default_na=False)
    table.insert(6, "wkt", "POINT (" + table.pop("lon") + " " + table.pop("lat") + ")")
    root = tmp_path / "wkt"
    root.mkdir()
    table.to_csv(root / "reports.csv", index=False)
    descriptor = json.loads((SAMPLE / "datapackage.json").read_text("utf-8"))
    resource = descriptor["resources"][0]
    fields = [f for f in resource["schema"]["fields"] if f["name"] not in ("lat", "lon")]
    fields.insert(6, {"name": "wkt", "type": "string"})
    resource["schema"]["fields"] = fields
    resource["geometry"] = {"kind": "wkt", "column": "wkt", "crs": "EPSG:4326"}
    (root / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return root


def test_drop_columns_reads_nothing_and_later_stages_never_see_the_dropped_columns() -> None:
    package = load_package(SAMPLE).copy()
    _run(package, [DROP])
    resource = package.resources[0]
    assert resource.data is None and resource.projection is not None
    assert resource.path is None  # derived: nothing copies the source file
    scanned = {name for batch in batches.iter_batches(resource) for name in batch.columns}
    assert scanned and not scanned & set(DROP["columns"])
    assert not set(DROP["columns"]) & set(resource.table().columns)


def test_grid_aggregate_streams_without_reading_the_table(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    package = load_package(SAMPLE).copy()
    _run(package, [DROP])

    def whole_table(resource: object) -> None:
        raise AssertionError("the whole table was read")

    monkeypatch.setattr(batches, "read_projection", whole_table)
    stats = _run(package, CASES["shipped grid"][1:])[0]
    assert stats["points_in"] == 600 and stats["cells_published"] > 0


def test_a_written_file_is_passed_over_and_staged_without_shapes_when_none_are_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = load_package(SAMPLE).copy()
    specs = CASES["drop, then round and k-anonymise"]
    _chained(package, specs[:2], tmp_path / "steps")  # rounding reads the points

    def no_shapes(*args: Any) -> None:
        raise AssertionError("shapes were built")

    monkeypatch.setattr(frames, "with_geometry", no_shapes)
    _chained(package, specs[2:], tmp_path / "steps")  # the classes written back as text
    chained = _written(package, tmp_path / "chained")  # and staged so
    monkeypatch.undo()
    whole = load_package(SAMPLE).copy()
    whole.resources[0].table()
    _run(whole, specs)
    assert chained == _written(whole, tmp_path / "whole")


BAD_CELLS = [
    ("band-numbers", {"columns": ["alter"], "width": 5}, "alter",
     "holds 3 value(s) that are not numbers (first in row 2)"),
    ("truncate-datetime", {"columns": ["seit"], "unit": "day"}, "seit",
     "holds 3 value(s) that are not ISO dates or times (first in row 2)"),
    # a level is applied once per distinct value; the message still counts records
    ("k-anonymise", {"k": 2, "max_suppression": 0, "quasi_identifiers": [
        {"column": "alter", "kind": "band", "levels": [10]}]}, "alter",
     "holds 3 value(s) that are not numbers (first in row 2)"),
    ("k-anonymise", {"k": 2, "max_suppression": 0, "quasi_identifiers": [
        {"column": "seit", "kind": "datetime", "levels": ["month"]}]}, "seit",
     "holds 3 value(s) that are not ISO dates or times (first in row 2)"),
]


@pytest.mark.parametrize(("kind", "params", "column", "said"), BAD_CELLS)
@pytest.mark.parametrize("streamed", [False, True])
def test_bad_cells_are_counted_over_the_whole_column(kind: str, params: dict[str, Any],
                                                     column: str, said: str, streamed: bool,
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Three bad cells (two of them alike) in three batches of two records: the
    message counts all three, streamed or not."""
    monkeypatch.setattr(batches, "BATCH_ROWS", 2)
    rows = ["id,alter,seit", "1,x,gestern", "2,30,2024-05-07", "3,40,2024-05-08",
            "4,x,gestern", "5,50,2024-05-09", "6,z,bald"]
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "r.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (tmp_path / "p" / "datapackage.json").write_text(json.dumps({
        "name": "p", "resources": [{"name": "r", "path": "r.csv", "format": "csv",
                                    "schema": {"fields": [{"name": "id", "type": "string"},
                                                          {"name": "alter", "type": "string"},
                                                          {"name": "seit", "type": "string"}]}}]}),
        "utf-8")
    package = load_package(tmp_path / "p")
    if not streamed:
        package.resources[0].table()
    with pytest.raises(InputError) as raised:
        _chained(package, [{"type": kind, "resource": "r", **params}], tmp_path / "steps")
    assert f"column '{column}' {said}" in str(raised.value)


def test_lat_lon_are_rounded_as_numbers_without_shapes(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """reduce-precision on lat/lon columns reads them as the reader does (a German
    decimal comma, a missing or unreadable coordinate: no point) and writes them as
    the writer writes points: the figures and bytes of the whole table, no shape built."""
    monkeypatch.setattr(batches, "BATCH_ROWS", 3)
    rows = ["id;lat;lon", "1;51,33974;12,37129", "2;51,3;12,4", "3;;12,4", "4;51,1;x",
            "5;-0,00001;0,0", "6;51,33974;12,37129", "7;48,2082;16,3738"]
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "r.csv").write_text("\n".join(rows) + "\n", "utf-8")
    number = {"type": "number", "decimalChar": ","}
    (tmp_path / "p" / "datapackage.json").write_text(json.dumps({
        "name": "p", "resources": [{
            "name": "r", "path": "r.csv", "format": "csv", "dialect": {"delimiter": ";"},
            "geometry": {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"},
            "schema": {"fields": [{"name": "id", "type": "string"},
                                  {"name": "lat", **number}, {"name": "lon", **number}]}}]}),
        "utf-8")
    specs = [{"type": "reduce-precision", "resource": "r", "decimals": 2},
             {"type": "truncate-postcode", "resource": "r", "columns": ["id"], "keep": 0}]
    whole = load_package(tmp_path / "p")
    whole.resources[0].table()
    expected = _run(whole, specs)
    written = _written(whole, tmp_path / "whole")

    def no_shapes(*args: Any) -> None:
        raise AssertionError("shapes were built")

    monkeypatch.setattr(frames, "with_geometry", no_shapes)
    chained = load_package(tmp_path / "p")
    assert _chained(chained, specs, tmp_path / "steps")[0] == expected
    assert _written(chained, tmp_path / "chained") == written
    assert b"51,34" in written["data/r.csv"]


def test_partial_grid_counts_summed_as_they_come_are_the_counts_summed_at_the_end(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    params = grid_aggregate.GridAggregateParams(resolution=100, min_count=3,
                                                merge_up=[1000], by=["kind"])
    rng = np.random.default_rng(11)

    def parts() -> list[grid_aggregate.GridCounts]:
        out = []
        for _ in range(30):
            combos = rng.integers(0, 4, (50, 5))
            combos[:, -1] = rng.integers(0, 2, 50)
            unique, codes = grid_aggregate._unique_rows(combos)
            out.append(grid_aggregate.GridCounts(
                unique, np.bincount(codes, minlength=len(unique)),
                [(rng.choice(["a", "b", "c"]),), (rng.choice(["a", "b", "c"]),)], 50, 1))
        return out

    given = parts()
    at_the_end = grid_aggregate.merge_counts(given, params)
    sums: list[int] = []
    real = grid_aggregate._summed

    def counted(*args: Any) -> Any:
        sums.append(len(args[0]))
        return real(*args)

    monkeypatch.setattr(grid_aggregate, "MERGE_ROWS", 100)
    monkeypatch.setattr(grid_aggregate, "_summed", counted)
    as_they_come = grid_aggregate.merge_counts(given, params)
    assert len(sums) > 2  # summed along the way, and at the end
    assert (as_they_come.combos == at_the_end.combos).all()
    assert (as_they_come.weights == at_the_end.weights).all()
    assert as_they_come.keys == at_the_end.keys and as_they_come.points_in == 1500


def test_k_anonymise_streamed_keeps_empty_and_starred_cells_as_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quasi-identifiers read from the file as codes: empty cells and cells that
    already read '*', spread over batches, give the levels, figures and bytes of the
    whole table in memory."""
    monkeypatch.setattr(batches, "BATCH_ROWS", 7)
    ages = ["", "31", "*", "45", "", "52", "38", "*", "61", "29"] * 6
    zones = ["A", "", "B", "*", "A", "B", "", "A", "*", "B"] * 6
    pairs = enumerate(zip(ages, zones, strict=True))
    rows = ["id,age,zone", *(f"{i},{a},{z}" for i, (a, z) in pairs),
            "60,70,C", "61,,C", "62,*,C"]  # a class too small: suppressed locally
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "r.csv").write_text("\n".join(rows) + "\n", "utf-8")
    (tmp_path / "p" / "datapackage.json").write_text(json.dumps({
        "name": "p", "resources": [{"name": "r", "path": "r.csv", "format": "csv",
                                    "schema": {"fields": [{"name": n, "type": "string"}
                                                          for n in ("id", "age", "zone")]}}]}),
        "utf-8")
    spec = [{"type": "k-anonymise", "resource": "r", "k": 7, "max_suppression": 0.1,
             "quasi_identifiers": [{"column": "age", "kind": "suppress"},
                                   {"column": "zone", "kind": "suppress"}]}]
    source = load_package(tmp_path / "p")
    whole, streamed = source.copy(), source.copy()
    whole.resources[0].table()
    whole_stats = _run(whole, spec)
    assert _run(streamed, spec, tmp_path / "steps") == whole_stats
    assert whole_stats[0]["rows_suppressed"] > 0 and whole_stats[0]["cells_suppressed"] > 0
    assert streamed.resources[0].data is None
    assert _written(streamed, tmp_path / "s") == _written(whole, tmp_path / "w")
