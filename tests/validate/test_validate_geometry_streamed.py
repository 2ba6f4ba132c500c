"""Geometry checks over batches of a CSV file's geometry columns: the same
findings, notes and stats as over the whole table, without reading the table."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import publisher.validate.geometry as geometry_module
from publisher.limits import LimitError
from publisher.package.geobatches import geometry_batches
from publisher.package.loader import load_package
from publisher.package.model import Resource
from publisher.package.readers._tabular import _numbers
from publisher.report import Report
from publisher.validate import validate_package
from publisher.validate.engine import stream
from publisher.validate.geometry import check_geometry
from publisher.validate.result import CheckResult


def _write(root: Path, kind: str) -> Path:
    """40 records: missing, unreadable, swapped, far away and fine positions."""
    lines = []
    for i in range(1, 41):
        lat, lon = f"{51.3 + i / 1000:.4f}", f"{12.3 + i / 1000:.4f}"
        if i % 9 == 0:
            lat = ""  # missing
        elif i % 7 == 0:
            lat, lon = lon, lat  # swapped
        elif i % 11 == 0:
            lat, lon = "-33.9", "151.2"  # far outside
        if kind == "latlon":
            lines.append(f"{i},{lat},{lon}")
        else:
            wkt = f"POINT ({lon} {lat})" if lat else ("POINT (1 2" if i % 2 else "")
            lines.append(f'{i},"{wkt}"')
    header = "id,lat,lon" if kind == "latlon" else "id,wkt"
    (root / "points.csv").write_text("\n".join([header, *lines]) + "\n", "utf-8")
    fields = [{"name": "id", "type": "integer"}]
    if kind == "latlon":
        fields += [{"name": "lat", "type": "number"}, {"name": "lon", "type": "number"}]
        geometry = {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"}
    else:
        fields += [{"name": "wkt", "type": "string"}]
        geometry = {"kind": "wkt", "column": "wkt", "crs": "EPSG:4326"}
    descriptor = {"name": "points", "resources": [{
        "name": "points", "path": "points.csv", "format": "csv", "encoding": "utf-8",
        "schema": {"fields": fields}, "geometry": geometry}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return root / "datapackage.json"


def _summary(result: CheckResult) -> tuple[object, ...]:
    return ([(f.type, f.row, f.field, f.message, f.hint) for f in result.findings],
            result.notes, result.stats)


def _streamed(monkeypatch: pytest.MonkeyPatch, rows: int) -> None:
    monkeypatch.setattr(geometry_module, "geometry_batches",
                        functools.partial(geometry_batches, batch_rows=rows))
    monkeypatch.setattr(geometry_module, "BATCH_ROWS", rows)


@pytest.mark.parametrize("kind", ["latlon", "wkt"])
def test_batches_give_the_whole_table_findings(tmp_path: Path, kind: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, kind)
    whole = load_package(str(path)).resources[0]
    whole.table()  # in memory: one pass over the GeoDataFrame
    expected = _summary(check_geometry(whole))
    assert expected[0], "the case has findings"

    _streamed(monkeypatch, 6)
    streamed: Resource = load_package(str(path)).resources[0]
    assert _summary(check_geometry(streamed)) == expected
    assert streamed.data is None and not streamed.views  # nothing held of the table


def test_the_cap_holds_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geometry_module, "MAX_FINDINGS", 2)
    path = _write(tmp_path, "latlon")
    whole = load_package(str(path)).resources[0]
    whole.table()
    expected = check_geometry(whole)
    _streamed(monkeypatch, 5)
    result = check_geometry(load_package(str(path)).resources[0])
    assert _summary(result) == _summary(expected)
    missing = [f for f in result.findings if f.message.endswith(
        "(latitude or longitude empty or not a finite number)")]
    assert [f.row for f in missing] == [10, 19]  # the first two of records 9, 18, 27, 36
    assert "resource 'points': 4 empty-geometry findings, only the first 2 are listed" \
        in result.notes
    assert result.stats["geometry"]["empty-geometry"] == 4


# Cells the text route reads itself and cells it must leave to the readers.
LATLON_CELLS = [("51.339023", "12.335192"), ("51.3", "12"), ("-33.9", "151.2"),
                ("12.335192", "51.339023"), ("", "12.3"), ("51.3", "n/a"), (" 51.3 ", "12.3"),
                ("51.3\u001c", "12.3"), ("5.13e1", "12.3"), ("nan", "12.3"), ("inf", "12.3"),
                ("51.33902312345678901", "12.3"), ("+51.3", "12.3"), ("51.", "12.3"),
                (".5", "12.3"), ("-0", "-0.0"), ("5691234.5", "691234.25"), ("1_0", "12")]
WKT_CELLS = ["POINT (12.335192 51.339023)", "POINT(12.3 51.3)", "point (12.3 51.3)",
             " POINT (12.3 51.3) ", "POINT  (12.3 51.3)", "POINT (51.3 12.3)", "POINT EMPTY",
             "POINT Z (12.3 51.3 10)", "POINT (nan 51.3)", "POINT (1e400 51.3)", "",
             "POINT (1 2", "nonsense", "POINT (12.33519212345678901 51.3)", "POINT (-0 -0.0)",
             "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))", "POLYGON ((12 51, 12.1 51, 12.1 51.1, 12 51))",
             "LINESTRING (12 51, 12.1 51.1)", "POINT (691234.25 5691234.5)", "POINT (-181 91)"]


def _write_cells(root: Path, kind: str, crs: str) -> Path:
    if kind == "latlon":
        lines = [f"{i},{lat},{lon}" for i, (lat, lon) in enumerate(LATLON_CELLS * 3, 1)]
        header, fields = "id,lat,lon", [{"name": "lat", "type": "string"},
                                        {"name": "lon", "type": "string"}]
        geometry = {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": crs}
    else:
        lines = [f'{i},"{wkt}"' for i, wkt in enumerate(WKT_CELLS * 3, 1)]
        header, fields = "id,wkt", [{"name": "wkt", "type": "string"}]
        geometry = {"kind": "wkt", "column": "wkt", "crs": crs}
    (root / "points.csv").write_text("\n".join([header, *lines]) + "\n", "utf-8")
    descriptor = {"name": "points", "resources": [{
        "name": "points", "path": "points.csv", "format": "csv", "encoding": "utf-8",
        "schema": {"fields": [{"name": "id", "type": "integer"}, *fields]},
        "geometry": geometry}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return root / "datapackage.json"


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:25832"])
@pytest.mark.parametrize("kind", ["latlon", "wkt"])
def test_text_route_gives_the_findings_of_the_shapes(tmp_path: Path, kind: str, crs: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain cells read as text, the others as shapes, in batches cutting
    through them: the findings of the whole table read as shapes."""
    path = _write_cells(tmp_path, kind, crs)
    whole = load_package(str(path)).resources[0]
    whole.table()
    expected = _summary(check_geometry(whole))
    types = {f.type for f in check_geometry(whole).findings}
    assert {"empty-geometry", "out-of-extent"} <= types
    if kind == "wkt":
        assert {"invalid-geometry", "non-finite-coordinate"} <= types
    for rows in (7, 1000):
        _streamed(monkeypatch, rows)
        assert _summary(check_geometry(load_package(str(path)).resources[0])) == expected


@pytest.mark.parametrize("kind", ["latlon", "wkt"])
def test_plain_cells_are_not_made_into_shapes(tmp_path: Path, kind: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write_cells(tmp_path, kind, "EPSG:4326")
    made: list[int] = []
    name = "latlon_geometry" if kind == "latlon" else "wkt_geometry"
    reader = getattr(geometry_module, name)

    def counted(cells: pd.DataFrame, *args: object) -> object:
        made.append(len(cells))
        return reader(cells, *args)

    monkeypatch.setattr(geometry_module, name, counted)
    result = check_geometry(load_package(str(path)).resources[0])
    assert result.stats["features"] == len(LATLON_CELLS if kind == "latlon" else WKT_CELLS) * 3
    plain = 6 if kind == "latlon" else 5  # cells the text route reads itself
    assert sum(made) == result.stats["features"] - 3 * plain


@settings(max_examples=100)
@given(st.lists(st.from_regex(r"-?[0-9]{1,3}\.[0-9]{1,12}|-?[0-9]{1,7}(\.[0-9]{1,8})?",
                              fullmatch=True), min_size=1, max_size=50))
def test_plain_numbers_read_as_pandas_and_geos_read_them(cells: list[str]) -> None:
    plain, values = geometry_module._plain_numbers(pa.array(cells, pa.string()))
    assert plain.all()
    assert values.tolist() == _numbers(pd.Series(cells, dtype=object)).tolist()
    shapes = shapely.from_wkt([f"POINT ({c} {c})" for c in cells])
    assert shapely.get_coordinates(shapes)[:, 0].tolist() == values.tolist()


def _geometry_findings(report: Report) -> tuple[object, ...]:
    codes = {"empty-geometry", "non-finite-coordinate", "invalid-geometry", "unknown-crs",
             "out-of-extent"}
    return ([(f.type, f.row, f.field, f.message, f.hint) for f in report.findings
             if f.type in codes],
            [n for n in report.notes if "findings, only the first" in n or "CRS" in n],
            {k: v for k, v in report.stats["resources"]["points"]["findings"].items()
             if k in codes})


def _own_pass(path: Path) -> tuple[object, ...]:
    resource = load_package(str(path)).resources[0]
    result = check_geometry(resource)
    report = Report(stage="validate")
    report.extend(result.findings)
    report.notes.extend(result.notes)
    report.stats = {"resources": {"points": {"findings": {
        k: v for k, v in sorted(result.stats["geometry"].items()) if v}}}}
    return _geometry_findings(report)


def _validated(path: Path, monkeypatch: pytest.MonkeyPatch, tapped: bool) -> Report:
    """validate_package; the geometry read on the engine's pass (tapped) or not."""
    own = geometry_module._batches
    calls: list[str] = []

    def counted(resource: Resource) -> Any:
        calls.append(resource.name)
        return own(resource)

    monkeypatch.setattr(geometry_module, "_batches", counted)
    report = validate_package(load_package(str(path)))
    assert bool(calls) != tapped, calls
    return report


@pytest.mark.parametrize("chunk", [24, 8 << 20])
@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:25832", "EPSG:3857"])
@pytest.mark.parametrize("kind", ["latlon", "wkt"])
def test_engine_pass_gives_the_findings_of_the_own_pass(
        tmp_path: Path, kind: str, crs: str, chunk: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The geometry checked on the engine's blocks (tiny ones: a boundary after
    nearly every record) finds what the geometry's own stream finds."""
    monkeypatch.setattr(stream, "CHUNK_SIZE", chunk)
    monkeypatch.setattr(geometry_module, "MAX_FINDINGS", 4)  # the cap across blocks
    path = _write_cells(tmp_path, kind, crs)
    expected = _own_pass(path)
    assert expected[0]
    assert _geometry_findings(_validated(path, monkeypatch, tapped=True)) == expected


@pytest.mark.parametrize("change", ["ragged", "blank", "quoted-newline", "semicolon"])
def test_irregular_files_are_read_again_or_tapped_in_order(
        tmp_path: Path, change: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write_cells(tmp_path, "wkt", "EPSG:4326")
    data = tmp_path / "points.csv"
    lines = data.read_text("utf-8").splitlines()
    if change == "ragged":
        lines.insert(5, "99")
    elif change == "blank":
        lines.insert(5, "")
    elif change == "quoted-newline":
        lines[5] = lines[5][:-1] + '\n"'
    else:
        lines = [line.replace(",", ";", 1) for line in lines]
        descriptor = json.loads(path.read_text("utf-8"))
        descriptor["resources"][0]["dialect"] = {"delimiter": ";"}
        path.write_text(json.dumps(descriptor), "utf-8")
    data.write_text("\n".join(lines) + "\n", "utf-8")
    expected = _own_pass(path)
    tapped = change in ("quoted-newline", "semicolon")  # records still in order
    assert _geometry_findings(_validated(path, monkeypatch, tapped)) == expected


def test_wkt_beyond_the_limits_is_refused_naming_its_row(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stream, "CHUNK_SIZE", 24)
    path = _write_cells(tmp_path, "wkt", "EPSG:4326")
    data = tmp_path / "points.csv"
    lines = data.read_text("utf-8").splitlines()
    lines[30] = '30,"' + "GEOMETRYCOLLECTION (" * 200 + "POINT (1 2)" + ")" * 200 + '"'
    data.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(LimitError, match="row 31, field 'wkt': the WKT geometry is nested"):
        validate_package(load_package(str(path)))
