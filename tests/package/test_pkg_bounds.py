"""Records within the limits: WKT nesting and vertices before GEOS parses
them, vector attributes and vertices after GDAL read them, GeoPackage layers
checked with SQLite before GDAL reads them."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from publisher import limits
from publisher.errors import InputError
from publisher.limits import LimitError, Limits
from publisher.package.bounds import check_wkt
from publisher.package.loader import load_package

SMALL = Limits(max_geometry_depth=4, max_geometry_vertices=10, max_cell_bytes=2048,
               max_row_bytes=4096, max_columns=5)


def _load(root: Path) -> None:
    with limits.applied(SMALL):
        load_package(root).resources[0].table()


def _geojson(root: Path, features: list[dict[str, object]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "areas.geojson").write_text(json.dumps(
        {"type": "FeatureCollection", "features": features}), encoding="utf-8")
    (root / "datapackage.json").write_text(json.dumps({"name": "b", "resources": [
        {"name": "areas", "path": "areas.geojson", "format": "geojson"}]}), encoding="utf-8")
    return root


def _feature(geometry: dict[str, object], **properties: object) -> dict[str, object]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


POINT = {"type": "Point", "coordinates": [12.37, 51.34]}


def test_wkt_nesting_is_measured_before_geos_parses_it() -> None:
    nested = "GEOMETRYCOLLECTION (" * 5 + "POINT (1 2)" + ")" * 5
    flat = "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))"  # 3 deep, 8 '('
    texts = np.array([flat, None, nested], dtype=object)
    with limits.applied(SMALL), pytest.raises(LimitError, match=(
            r"resource 'r', row 4, field 'wkt': the WKT geometry is nested too deeply "
            r"\(checked before it is parsed\): the limit is 4 \(setting max_geometry_depth\)")):
        check_wkt(texts, [2, 3, 4], "r", "wkt")
    with limits.applied(SMALL):
        check_wkt(texts[:2], [2, 3], "r", "wkt")


def test_wkt_vertices_are_counted_before_geos_parses_them() -> None:
    line = "LINESTRING (" + ", ".join(["1 2"] * 11) + ")"
    with limits.applied(SMALL), pytest.raises(LimitError, match=r"row 7.*more vertices"):
        check_wkt(np.array([line], dtype=object), [7], "r", "wkt")


def test_a_geojson_geometry_over_the_vertex_limit_names_its_feature(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[12.3 + i / 100, 51.3] for i in range(11)]}
    root = _geojson(tmp_path, [_feature(POINT, name="a"), _feature(line, name="b")])
    with pytest.raises(LimitError, match=r"resource 'areas', feature 2: the geometry has 11 "
                                         r"vertices: the limit is 10"):
        _load(root)


def test_geojson_attributes_over_the_cell_and_row_limits(tmp_path: Path) -> None:
    root = _geojson(tmp_path / "cell", [_feature(POINT, name="a"),
                                        _feature(POINT, name="ü" * 1500)])
    with pytest.raises(LimitError, match=r"feature 2, field 'name': a value of 3,000 bytes"):
        _load(root)
    wide = {f"p{i}": "x" * 1500 for i in range(4)}
    root = _geojson(tmp_path / "row", [_feature(POINT, **wide)])
    with pytest.raises(LimitError, match=r"feature 1: attributes of 6,000 bytes together.*"
                                         r"max_row_bytes"):
        _load(root)
    many = {f"p{i}": i for i in range(6)}
    with pytest.raises(LimitError, match=r"has 6 columns.*max_columns"):
        _load(_geojson(tmp_path / "many", [_feature(POINT, **many)]))


def _gpkg(root: Path, *statements: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    frame = gpd.GeoDataFrame({"name": ["Lindenpark", "Mühlgraben"]},
                             geometry=[shapely.Point(12.3, 51.3)] * 2, crs="EPSG:4326")
    frame.to_file(root / "areas.gpkg", driver="GPKG", engine="pyogrio", layer="areas")
    with closing(sqlite3.connect(root / "areas.gpkg")) as db:
        db.create_function("ST_IsEmpty", 1, lambda blob: 0)
        for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
            db.create_function(name, 1, lambda blob: 0.0)
        for statement in statements:
            db.execute(statement)
        db.commit()
    (root / "datapackage.json").write_text(json.dumps({"name": "g", "resources": [
        {"name": "areas", "path": "areas.gpkg", "format": "gpkg"}]}), encoding="utf-8")
    return root


def test_gpkg_text_with_nul_is_refused_not_cut(tmp_path: Path) -> None:
    root = _gpkg(tmp_path, "UPDATE areas SET name = CAST(x'4d617800457661' AS TEXT) "
                           "WHERE fid = 2")
    with pytest.raises(InputError, match=r"feature 2 of areas.gpkg, field 'name', holds a NUL"):
        _load(root)


def test_gpkg_values_over_the_limits(tmp_path: Path) -> None:
    root = _gpkg(tmp_path / "blob", "ALTER TABLE areas ADD COLUMN photo BLOB",
                 "UPDATE areas SET photo = zeroblob(3000) WHERE fid = 2")
    with pytest.raises(LimitError, match=r"feature 2 of areas.gpkg, field 'photo', holds a "
                                         r"value over the limit.*max_cell_bytes"):
        _load(root)
    root = _gpkg(tmp_path / "row", *[f"ALTER TABLE areas ADD COLUMN t{i} TEXT" for i in range(3)],
                 "UPDATE areas SET t0 = printf('%.1500c', 'x'), t1 = printf('%.1500c', 'y'), "
                 "t2 = printf('%.1500c', 'z') WHERE fid = 1")
    with pytest.raises(LimitError, match=r"feature 1 of areas\.gpkg has attributes over "
                                         r"the limit together"):
        _load(root)


def test_gpkg_view_as_layer_is_refused(tmp_path: Path) -> None:
    root = _gpkg(tmp_path, "CREATE VIEW loop AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL "
                           "SELECT x + 1 FROM r) SELECT x AS fid FROM r")
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["layer"] = "loop"
    (root / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(InputError, match=r"layer 'loop' of areas\.gpkg is an SQL view"):
        _load(root)


def test_a_valid_gpkg_passes_the_checks(tmp_path: Path) -> None:
    _load(_gpkg(tmp_path))
