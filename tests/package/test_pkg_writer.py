from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from publisher.errors import InputError
from publisher.package.loader import load_package
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.package.writer import write_package

CASES = Path(__file__).resolve().parents[1] / "cases" / "package"


def same_geometry(a: Any, b: Any) -> bool:
    """Equal coordinates; ring direction may differ (RFC 7946 orients rings)."""
    if a is None or b is None:
        return a is None and b is None
    return bool(shapely.equals_exact(a, b, 0) or shapely.equals_exact(a, shapely.reverse(b), 0))


def assert_same_table(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert a.index.tolist() == b.index.tolist()
    assert a.columns.tolist() == b.columns.tolist()
    if isinstance(a, gpd.GeoDataFrame):
        assert isinstance(b, gpd.GeoDataFrame) and a.crs == b.crs
        assert all(same_geometry(x, y) for x, y in zip(a.geometry, b.geometry, strict=True))
        a, b = pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
    pd.testing.assert_frame_equal(a, b)


def test_round_trip_keeps_every_table(tmp_path: Path) -> None:
    original = load_package(CASES / "city")
    write_package(original, tmp_path / "out")
    again = load_package(tmp_path / "out")
    assert [r.name for r in again.resources] == [r.name for r in original.resources]
    for before, after in zip(original.resources, again.resources, strict=True):
        assert after.geometry == before.geometry, before.name
        assert_same_table(before.table(), after.table())


def test_output_is_deterministic_and_hashes_match(tmp_path: Path) -> None:
    first = write_package(load_package(CASES / "city"), tmp_path / "a")
    second = write_package(load_package(CASES / "city"), tmp_path / "b")
    assert first == second
    assert [f.path for f in first][-1] == "datapackage.json"
    for staged in first:
        content = (tmp_path / "a" / staged.path).read_bytes()
        assert content == (tmp_path / "b" / staged.path).read_bytes()
        assert hashlib.sha256(content).hexdigest() == staged.sha256
        assert len(content) == staged.bytes


def test_descriptor_describes_written_files(tmp_path: Path) -> None:
    files = {f.path: f for f in write_package(load_package(CASES / "city"), tmp_path)}
    raw = (tmp_path / "datapackage.json").read_text(encoding="utf-8")
    assert raw.endswith("}\n") and "Spielplätze" in raw  # ensure_ascii off
    descriptor = json.loads(raw)
    assert descriptor["licenses"][0]["name"] == "dl-de-by-2.0"
    by_name = {r["name"]: r for r in descriptor["resources"]}
    bezirke = by_name["bezirke"]
    assert bezirke["path"] == "data/bezirke.geojson" and bezirke["format"] == "geojson"
    assert bezirke["mediatype"] == "application/geo+json"
    assert bezirke["hash"] == "sha256:" + files["data/bezirke.geojson"].sha256
    assert bezirke["bytes"] == files["data/bezirke.geojson"].bytes
    baustellen = by_name["baustellen"]
    assert baustellen["geometry"] == {"kind": "wkt", "column": "geom", "crs": "EPSG:25832"}
    assert [f["name"] for f in baustellen["schema"]["fields"]] == ["id", "beschreibung", "geom"]
    assert "dialect" not in by_name["einwohner"] and by_name["einwohner"]["encoding"] == "utf-8"


def test_csv_rederives_coordinates_in_schema_order(tmp_path: Path) -> None:
    package = load_package(CASES / "city")
    resource = package.resource("haltestellen")
    table = resource.table()
    table.loc[2, "geometry"] = shapely.Point(13.1 + 0.2, 52.5)
    package.resources = [resource]
    write_package(package, tmp_path)
    data = (tmp_path / "data" / "haltestellen.csv").read_bytes()
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == "id,name,lat,lon,barrierefrei"
    assert lines[1] == "1,Hauptbahnhof,52.5,13.299999999999999,true"
    assert lines[3] == "3,Gärtnerstraße,,,true"


def test_wkt_is_reprojected_to_the_spec_crs(tmp_path: Path) -> None:
    package = load_package(CASES / "city")
    resource = package.resource("baustellen")
    table: Any = resource.table()
    resource.data = table.to_crs(4326)
    package.resources = [resource]
    write_package(package, tmp_path)
    again = load_package(tmp_path).resources[0].table()
    assert again.crs.to_epsg() == 25832
    assert abs(again.geometry.iloc[0].x - 391250.5) < 1e-3


def test_geojson_is_rfc7946_in_wgs84(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["a"]}, geometry=[shapely.Point(391000, 5820000)], crs="EPSG:25832"
    )
    resource = Resource(
        "punkte",
        "geojson",
        {"name": "punkte"},
        geometry=GeometrySpec("native", "EPSG:25832"),
        data=frame,
    )
    write_package(
        Package(root=tmp_path, descriptor={"name": "p"}, resources=[resource]), tmp_path / "out"
    )
    written = json.loads((tmp_path / "out" / "data" / "punkte.geojson").read_text("utf-8"))
    assert "crs" not in written and written["type"] == "FeatureCollection"
    lon, lat = written["features"][0]["geometry"]["coordinates"]
    assert 7 < lon < 11 and 52 < lat < 53


def gpkg_package(root: Path) -> Package:
    frame = gpd.GeoDataFrame(
        {"name": ["a", "b"], "anzahl": [3, 4]},
        geometry=[shapely.Point(391000, 5820000), shapely.Point(391500.25, 5820500)],
        crs="EPSG:25832",
    )
    frame.to_file(root / "geo.gpkg", layer="orte", driver="GPKG", engine="pyogrio")
    (root / "datapackage.json").write_text(
        json.dumps({"name": "g", "resources": [{"name": "orte", "path": "geo.gpkg"}]}), "utf-8"
    )
    return load_package(root)


def test_gpkg_round_trip_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    package = gpkg_package(tmp_path / "src")
    first = write_package(package, tmp_path / "a")
    second = write_package(package, tmp_path / "b")
    assert first == second
    gpkg = tmp_path / "a" / "data" / "orte.gpkg"
    with sqlite3.connect(gpkg) as db:  # GDAL's timestamp is pinned, not "now"
        stamps = {row[0] for row in db.execute("SELECT last_change FROM gpkg_contents")}
    assert stamps == {"2000-01-01T00:00:00.000Z"}
    again = load_package(tmp_path / "a")
    assert again.resources[0].descriptor["layer"] == "orte"
    assert_same_table(package.resources[0].table(), again.resources[0].table())


def test_non_spatial_frame_written_as_is_and_schema_follows(tmp_path: Path) -> None:
    grid = pd.DataFrame({"zelle": ["CRS3035RES1000mN2689000E4337000"], "anzahl": [12]})
    resource = Resource(
        "raster",
        "csv",
        {"name": "raster", "title": "Raster", "schema": {"fields": [{"name": "zelle"}]}},
        data=grid,
    )
    write_package(
        Package(root=tmp_path, descriptor={"name": "p"}, resources=[resource]), tmp_path / "out"
    )
    assert (tmp_path / "out" / "data" / "raster.csv").read_text("utf-8") == (
        "zelle,anzahl\nCRS3035RES1000mN2689000E4337000,12\n"
    )
    described = json.loads((tmp_path / "out" / "datapackage.json").read_text("utf-8"))
    entry = described["resources"][0]
    assert entry["title"] == "Raster" and "geometry" not in entry
    assert entry["schema"]["fields"] == [{"name": "zelle"}, {"name": "anzahl", "type": "integer"}]


def test_dropped_column_leaves_schema_and_primary_key(tmp_path: Path) -> None:
    package = load_package(CASES / "city")
    resource = package.resource("haltestellen")
    resource.data = resource.table().drop(columns=["id"])
    package.resources = [resource]
    write_package(package, tmp_path)
    schema = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))["resources"][0][
        "schema"
    ]
    assert [f["name"] for f in schema["fields"]] == ["name", "lat", "lon", "barrierefrei"]
    assert "primaryKey" not in schema


def test_spatial_frame_without_spec_is_written_as_wkt(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(0, 0, 1, 1)], crs="EPSG:3035")
    resource = Resource("zellen", "csv", {"name": "zellen"}, data=frame)
    write_package(Package(root=tmp_path, descriptor={}, resources=[resource]), tmp_path / "o")
    again = load_package(tmp_path / "o").resources[0]
    assert again.geometry == GeometrySpec("wkt", "EPSG:3035", column="geometry")
    assert again.table().geometry.iloc[0].equals(shapely.box(0, 0, 1, 1))


def test_geodata_format_without_geometry_names_resource(tmp_path: Path) -> None:
    resource = Resource("flach", "geojson", {"name": "flach"}, data=pd.DataFrame({"a": [1]}))
    with pytest.raises(InputError, match="resource 'flach': geojson needs geometry"):
        write_package(Package(root=tmp_path, descriptor={}, resources=[resource]), tmp_path / "o")


def test_unsafe_resource_name_is_refused(tmp_path: Path) -> None:
    resource = Resource("../x", "csv", {}, data=pd.DataFrame({"a": [1]}))
    with pytest.raises(InputError, match="unsafe or not unique"):
        write_package(Package(root=tmp_path, descriptor={}, resources=[resource]), tmp_path / "o")
    assert not (tmp_path / "x.csv").exists()


def test_yaml_package_writes_json_descriptor(tmp_path: Path) -> None:
    shutil.copytree(CASES / "yaml_pkg", tmp_path / "src")
    write_package(load_package(tmp_path / "src"), tmp_path / "out")
    described = json.loads((tmp_path / "out" / "datapackage.json").read_text("utf-8"))
    assert described["created"] == "2024-05-01"
    assert described["resources"][0]["geometry"]["lat"] == "Breite"
    table = load_package(tmp_path / "out").resources[0].table()
    assert np.allclose(table.geometry.y, [48.2082, 48.21])


def test_spatial_resources_carry_their_extent_in_wgs84(tmp_path: Path) -> None:
    package = load_package(CASES / "city")
    write_package(package, tmp_path)
    by_name = {r["name"]: r for r in json.loads(
        (tmp_path / "datapackage.json").read_text(encoding="utf-8"))["resources"]}
    assert "bbox" not in by_name["einwohner"]  # a plain table
    for resource in package.resources:
        table = resource.table()
        if not isinstance(table, gpd.GeoDataFrame):
            continue
        exact = table.geometry.to_crs(4326).total_bounds  # baustellen: EPSG:25832
        box = by_name[resource.name]["bbox"]
        assert np.allclose(box, exact, atol=1.01e-7), resource.name
        assert box[0] <= exact[0] and box[1] <= exact[1]  # rounded outwards
        assert box[2] >= exact[2] and box[3] >= exact[3]
        assert all(len(repr(v).split(".")[-1]) <= 7 for v in box)


def test_formula_cells_are_neutralised_in_published_csv(tmp_path: Path) -> None:
    """OWASP CSV injection: text a spreadsheet would run as a formula gets a
    leading single quote; numbers, placeholders and typed fields stay."""
    texts = ["=cmd|' /C calc'!A0", "@SUM(A1:A9)", "+HYPERLINK(\"x\")", "-2+3+cmd|' /C calc'!A0",
             "\tTabulator", "\rWagenrücklauf", "-3.5", "+49", "1e5", "-", "+", "Lindenpark", ""]
    table = pd.DataFrame({"text": texts, "amount": ["-3"] * len(texts)},
                         index=range(2, len(texts) + 2))
    resource = Resource("cells", "csv", {"name": "cells", "schema": {"fields": [
        {"name": "text", "type": "string"}, {"name": "amount", "type": "integer"}]}},
        data=table)
    write_package(Package(root=tmp_path, descriptor={"name": "p"}, resources=[resource]),
                  tmp_path / "out")
    written = pd.read_csv(tmp_path / "out" / "data" / "cells.csv", dtype=str,
                          keep_default_na=False)
    assert written["text"].tolist() == [
        "'=cmd|' /C calc'!A0", "'@SUM(A1:A9)", "'+HYPERLINK(\"x\")", "'-2+3+cmd|' /C calc'!A0",
        "'\tTabulator", "'\rWagenrücklauf", "-3.5", "+49", "1e5", "-", "+", "Lindenpark", ""]
    assert written["amount"].tolist() == ["-3"] * len(texts)
    assert table["text"].iloc[0] == "=cmd|' /C calc'!A0"  # the table itself is not changed
