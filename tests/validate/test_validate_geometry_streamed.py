"""Geometry checks over batches of a CSV file's geometry columns: the same
findings, notes and stats as over the whole table, without reading the table."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

import publisher.validate.geometry as geometry_module
from publisher.package.geobatches import geometry_batches
from publisher.package.loader import load_package
from publisher.package.model import Resource
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
