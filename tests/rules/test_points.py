"""The points of a lat/lon CSV file read as coordinates (publisher.rules._points):
the rows and values of the shapes geobatches builds, with and without a fallback
to the whole-table reader."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import shapely

from publisher.package.geobatches import geometry_batches
from publisher.package.loader import load_package
from publisher.package.readers._tabular import _numbers, _parsed_numbers, numbers
from publisher.rules._points import only_points, point_batches

CELLS = ["51.3397", " 12.5 ", "\t-7\t", "+.5", "5.", "1e3", "1E-3", "2.5e+2", "1,5", "", " ",
         None, "inf", "-Infinity", "nan", "1_000", "0x1A", "1e400", "\u00a012.5\u00a0",
         "\u0663", "12.5.1", "--1", "51.33971234567890123", "abc", "1 2"]


@pytest.mark.parametrize("chars", [(".", ""), (",", "."), (".", " ")])
def test_numbers_as_the_whole_table_reader_reads_them(chars: tuple[str, str]) -> None:
    cells = [*CELLS, "1.234,5", "1 234.5"]
    theirs = _parsed_numbers(pd.Series(cells, dtype="string"), chars)
    for ours in (numbers(pa.array(cells, pa.string()), chars),
                 _numbers(pd.Series(cells, dtype="string"), chars),
                 _numbers(pd.Series(cells, dtype=object), chars)):
        assert np.array_equal(ours, theirs, equal_nan=True)
        assert ours.tobytes() == np.where(np.isnan(theirs), ours, theirs).tobytes()


def test_numbers_bit_for_bit_on_many_decimals() -> None:
    rng = np.random.default_rng(7)
    cells = [f"{v:.{d}f}" for d in range(0, 18) for v in rng.uniform(-180, 180, 300)]
    theirs = _parsed_numbers(pd.Series(cells, dtype="string"))
    assert numbers(pa.array(cells, pa.string())).tobytes() == theirs.tobytes()
    assert _numbers(pd.Series(cells, dtype="string")).tobytes() == theirs.tobytes()


def _package(root: Path, blank_line: bool) -> Path:
    lines = ["id,lat,lon"]
    for i in range(1, 24):
        lat, lon = f"{51.3 + i / 1000:.3f}", f"{12.3 + i / 10000:.5f}"
        if i % 7 == 0:
            lat = ""
        if i == 9:
            lon = "\"12,3\""
        lines.append(f"{i},{lat},{lon}")
        if blank_line and i == 14:
            lines.append("")
    (root / "points.csv").write_text("\n".join(lines) + "\n", "utf-8")
    descriptor = {"name": "points", "resources": [{
        "name": "points", "path": "points.csv", "format": "csv", "encoding": "utf-8",
        "geometry": {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4326"}}]}
    (root / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    return root / "datapackage.json"


@pytest.mark.parametrize("blank_line", [False, True])
def test_point_batches_are_the_shapes_points(tmp_path: Path, blank_line: bool) -> None:
    path = _package(tmp_path, blank_line)
    resource = load_package(str(path)).resources[0]
    assert only_points(resource)
    got = list(point_batches(resource, batch_rows=4))

    expected = load_package(str(path)).resources[0]
    shapes = [g for b in geometry_batches(expected, batch_rows=4) for g in zip(b.rows, b.geoms,
                                                                                strict=True)]
    assert sum(b.records for b in got) == len(shapes)
    points = [(int(row), shapely.get_x(g), shapely.get_y(g)) for row, g in shapes
              if g is not None]
    assert [(int(r), x, y) for b in got for r, x, y in zip(b.rows, b.x, b.y, strict=True)] \
        == points
    assert len(points) == 23 - 3 - 1  # rows 7, 14, 21 without lat; row 9's lon "12,3"


def test_points_of_a_table_in_memory_from_its_shapes(tmp_path: Path) -> None:
    resource = load_package(str(_package(tmp_path, False))).resources[0]
    resource.table()
    assert not only_points(resource)  # a step may have made other shapes
    got = list(point_batches(resource, batch_rows=8))
    assert [len(b) for b in got] == [7, 6, 6]
    assert got[0].rows.tolist() == [2, 3, 4, 5, 6, 7, 9]
