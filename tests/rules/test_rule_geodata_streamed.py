"""coordinate-precision and coordinate-extent over batches of a CSV file's
geometry columns: the findings and figures of one pass over the whole table,
and nothing of the table held."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import publisher.package.batches as batches_module
from publisher.package.loader import load_package
from publisher.package.model import Package
from publisher.rules.coordinate_extent import CoordinateExtent, CoordinateExtentParams
from publisher.rules.coordinate_precision import CoordinatePrecision, CoordinatePrecisionParams


def _package(root: Path) -> Path:
    """30 points: coarse ones first, then fine ones from record 12, a few far away."""
    lines = ["id,lat,lon"]
    for i in range(1, 31):
        lat, lon = (f"{51.3 + i / 10:.1f}", "12.3") if i < 12 else \
            (f"{51.3 + i / 10000:.5f}", f"{12.3 + i / 10000:.5f}")
        if i % 8 == 0:
            lat = "-33.9"
        lines.append(f"{i},{lat if i != 5 else ''},{lon}")
    (root / "points.csv").write_text("\n".join(lines) + "\n", "utf-8")
    descriptor = {"name": "points", "resources": [{
        "name": "points", "path": "points.csv", "format": "csv", "encoding": "utf-8",
        "schema": {"fields": [{"name": "id", "type": "integer"},
                              {"name": "lat", "type": "number"},
                              {"name": "lon", "type": "number"}]},
        "geometry": {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"}}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return root / "datapackage.json"


def _run(package: Package) -> list[tuple[object, ...]]:
    precision = CoordinatePrecision(CoordinatePrecisionParams())
    extent = CoordinateExtent(CoordinateExtentParams.model_validate(
        {"extent": [5.8, 46.3, 17.2, 55.1]}))
    found = [*precision.check(package), *extent.check(package)]
    return [(f.type, f.row, f.field, f.severity, f.message, f.sample) for f in found] + \
        [precision.stats]


def test_batches_give_the_whole_table_findings(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = _package(tmp_path)
    whole = load_package(str(path))
    whole.resources[0].table()
    expected = _run(whole)
    assert [f[:2] for f in expected[:-1]] == [("coordinate-precision", 13),
                                              ("coordinate-extent", 9)]

    monkeypatch.setattr(batches_module, "BATCH_ROWS", 4)
    streamed = load_package(str(path))
    assert _run(streamed) == expected
    resource = streamed.resources[0]
    assert resource.data is None and not resource.views
