"""CSV files are written in parts: the same bytes as in one piece, whatever the
part size, with coordinates derived, formulas neutralised, and a carriage
return in a later part still quoting the whole file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from publisher.package import writer
from publisher.package.loader import load_package
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.package.writer import write_package


def _package(texts: list[str]) -> Package:
    n = len(texts)
    frame = gpd.GeoDataFrame(
        {"id": [str(i) for i in range(n)], "note": texts},
        geometry=shapely.points([12.3 + i / 1000 for i in range(n)],
                                [51.3 + i / 7000 for i in range(n)]),
        crs="EPSG:4326", index=pd.RangeIndex(2, n + 2))
    fields = [{"name": "id", "type": "string"}, {"name": "lat", "type": "number"},
              {"name": "lon", "type": "number"}, {"name": "note", "type": "string"}]
    resource = Resource(name="r", format="csv", descriptor={"name": "r",
                        "schema": {"fields": fields}},
                        geometry=GeometrySpec(kind="latlon", lat="lat", lon="lon"), data=frame)
    return Package(root=Path("."), descriptor={"name": "p"}, resources=[resource])


def _bytes(package: Package, out: Path) -> bytes:
    write_package(package, out)
    return (out / "data" / "r.csv").read_bytes() + (out / "datapackage.json").read_bytes()


@pytest.mark.parametrize("texts", [
    ["a", "=SUM(A1)", "b, c", "line\nbreak", "-3.5", "+x", "", "z"],
    ["a", "b", "c", "d", "e", "f", "g", "carriage\rreturn"],  # found in the last part
])
def test_parts_write_the_bytes_of_one_piece(texts: list[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _bytes(_package(texts), tmp_path / "whole")
    monkeypatch.setattr(writer, "WRITE_ROWS", 3)
    assert _bytes(_package(texts), tmp_path / "parts") == whole
    if any("\r" in t for t in texts):
        assert whole.startswith(b'"id","lat","lon","note"\n')
    else:
        assert b"'=SUM(A1)" in whole


def test_an_empty_table_keeps_its_header(tmp_path: Path) -> None:
    write_package(_package([]), tmp_path)
    assert (tmp_path / "data" / "r.csv").read_bytes() == b"id,lat,lon,note\n"


@pytest.mark.parametrize("texts", [
    ["a", "=SUM(A1)", "b, c", "line\nbreak", "-3.5", "+x", "", "z"],
    ["a", "b", "c", "d", "e", "f", "g", "carriage\rreturn"],
    [],
])
def test_a_file_not_in_memory_is_written_batch_by_batch(texts: list[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    write_package(_package(texts), tmp_path / "source")
    whole = load_package(str(tmp_path / "source"))
    whole.resources[0].table()
    expected = _bytes(whole, tmp_path / "whole")
    monkeypatch.setattr(writer, "WRITE_ROWS", 3)
    streamed = load_package(str(tmp_path / "source"))
    assert _bytes(streamed, tmp_path / "streamed") == expected
    assert streamed.resources[0].data is None  # never read as one table
