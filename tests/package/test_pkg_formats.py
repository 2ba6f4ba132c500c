"""The input formats beyond CSV, GeoJSON and GeoPackage: sheets, Shapefile,
GeoParquet, FlatGeobuf (publisher.package.readers). Errors name the row or
feature and the field; files that are not what they claim are refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from publisher.errors import InputError
from publisher.package.loader import load_package
from publisher.package.readers import input_format, published
from publisher.validate import validate_package
from tests.cases.init import generate
from tests.package.conftest import write_package_dir


def _package(root: Path, resources: list[dict[str, Any]]) -> Path:
    return write_package_dir(root, resources)


def _findings(root: Path) -> list[tuple[str, int | None, str | None]]:
    report = validate_package(load_package(root))
    return [(f.type, f.row, f.field) for f in report.findings]


def test_registry_names_every_format_and_what_it_is_published_as() -> None:
    expected = {"csv": "csv", "geojson": "geojson", "gpkg": "gpkg", "xlsx": "csv",
                "ods": "csv", "shp": "gpkg", "geoparquet": "gpkg", "fgb": "gpkg"}
    for name, target in expected.items():
        fmt = input_format(name)
        assert fmt is not None and fmt.published_as == target
    shapefile = input_format("Shapefile")
    assert shapefile is not None and shapefile.type == "shp"
    assert input_format("geopackage") is not None and input_format("xls") is None


def test_xlsx_cells_as_text_and_rows_as_the_sheet_numbers_them(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Daten"
    sheet.append(["Tabelle 1: Zählstellen"])
    sheet.append(["id", "anzahl", "anteil", "tag", "zeit", "ok"])
    sheet.append([1, 12, 0.25, dt.date(2024, 1, 15), dt.datetime(2024, 1, 15, 10, 30), True])
    sheet.append([2, "zwölf", 1.0, dt.date(2024, 2, 1), dt.datetime(2024, 2, 1, 8, 0), False])
    book.save(tmp_path / "z.xlsx")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "anzahl", "type": "integer"},
                         {"name": "anteil", "type": "number"}, {"name": "tag", "type": "date"},
                         {"name": "zeit", "type": "datetime"}, {"name": "ok", "type": "boolean"}]}
    root = _package(tmp_path, [{"name": "z", "path": "z.xlsx", "schema": schema,
                                "dialect": {"sheetName": "Daten", "headerRows": [2]}}])
    table = load_package(root).resources[0].table()
    assert table.index.tolist() == [3, 4]
    assert table.loc[3].tolist() == ["1", "12", "0.25", "2024-01-15", "2024-01-15T10:30:00",
                                     "true"]
    assert table.loc[4, "anteil"] == "1"
    assert _findings(root) == [("type-error", 4, "anzahl")]


def test_xlsx_unknown_sheet_and_unlabelled_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["a", None])
    sheet.append([1, "stray"])
    book.save(tmp_path / "x.xlsx")
    root = _package(tmp_path, [{"name": "x", "path": "x.xlsx",
                                "dialect": {"sheetName": "Nope"}}])
    with pytest.raises(InputError, match="sheet 'Nope' is not in the workbook"):
        load_package(root)
    root = _package(tmp_path, [{"name": "x", "path": "x.xlsx"}])
    with pytest.raises(InputError, match="row 2, column B holds a value but the column has no "
                                         "header label"):
        load_package(root)


def test_ods_typed_cells_and_a_bad_row(tmp_path: Path) -> None:
    generate.ods(tmp_path)
    schema = {"fields": [{"name": "Bezirk", "type": "string"},
                         {"name": "Jahr", "type": "integer"},
                         {"name": "Haushalte", "type": "integer"},
                         {"name": "Personen je Haushalt", "type": "integer"},
                         {"name": "Stand", "type": "date"}]}
    root = _package(tmp_path, [{"name": "h", "path": "haushalte.ods", "schema": schema}])
    table = load_package(root).resources[0].table()
    assert table.loc[2].tolist() == ["Mitte", "2023", "4000", "1.7", "2023-12-31"]
    found = _findings(root)
    # 1.7, 1.8, 1.9, 2.0 (an integer), 2.1 in each year
    assert found[0] == ("type-error", 2, "Personen je Haushalt") and len(found) == 8
    assert ("type-error", 8, "Personen je Haushalt") not in found


def test_sheet_with_lat_lon_is_spatial_and_published_as_csv(tmp_path: Path) -> None:
    generate.xlsx(tmp_path)
    geometry = {"kind": "latlon", "lat": "Breite", "lon": "Länge"}
    root = _package(tmp_path, [{"name": "s", "path": "statistik.xlsx", "geometry": geometry,
                                "dialect": {"sheetName": "Spielplätze"}}])
    package = load_package(root)
    table = package.resources[0].table()
    assert isinstance(table, gpd.GeoDataFrame) and table.index[0] == 2
    assert package.resources[0].geometry is not None
    assert published(package).resources[0].format == "csv"
    assert package.resources[0].format == "xlsx"


def test_shapefile_encoding_from_cpg_and_override(tmp_path: Path) -> None:
    generate.shapefile(tmp_path)
    root = _package(tmp_path, [{"name": "b", "path": "bezirke.shp"}])
    resource = load_package(root).resources[0]
    assert resource.geometry is not None and resource.geometry.crs == "EPSG:25832"
    table = resource.table()
    assert table["bezirk"].tolist()[-1] == "Weißenfels-Straße"
    assert table.index.tolist() == [1, 2, 3, 4, 5]
    root = _package(tmp_path, [{"name": "b", "path": "bezirke.shp", "encoding": "utf-8"}])
    with pytest.raises(InputError, match="cannot be decoded as utf-8"):
        load_package(root).resources[0].table()


def test_shapefile_parts_are_checked(tmp_path: Path) -> None:
    generate.shapefile(tmp_path)
    root = _package(tmp_path, [{"name": "b", "path": "bezirke.shp"}])
    (tmp_path / "bezirke.prj").unlink()
    with pytest.raises(InputError, match="declares no coordinate reference system"):
        load_package(root)
    root = _package(tmp_path, [{"name": "b", "path": "bezirke.shp",
                                "geometry": {"crs": "EPSG:25832"}}])
    assert load_package(root).resources[0].table().crs.to_epsg() == 25832
    os.replace(tmp_path / "bezirke.dbf", tmp_path / "elsewhere.dbf")
    os.symlink(tmp_path / "elsewhere.dbf", tmp_path / "bezirke.dbf")
    with pytest.raises(InputError, match=r"bezirke\.dbf is a symbolic link"):
        load_package(root)
    (tmp_path / "bezirke.dbf").unlink()
    with pytest.raises(InputError, match=r"has no \.dbf file beside it"):
        load_package(root)
    (tmp_path / "fake.shp").write_bytes(b"not a shapefile")
    root = _package(tmp_path, [{"name": "f", "path": "fake.shp"}])
    with pytest.raises(InputError, match="is not a Shapefile"):
        load_package(root)


def test_zipped_shapefiles_and_schema_errors_at_feature_and_field(tmp_path: Path) -> None:
    archive = generate.zipped_shapefile(tmp_path)
    with zipfile.ZipFile(archive, "a") as zf:
        for name in ("bezirke.shp", "bezirke.shx", "bezirke.dbf", "bezirke.prj"):
            zf.write(tmp_path / "parts" / name, f"zwei/{name}")
    schema = {"fields": [{"name": "bezirk_nr", "type": "integer"},
                         {"name": "bezirk", "type": "integer"},
                         {"name": "flaeche_ha", "type": "number"}]}
    root = _package(tmp_path, [{"name": "b", "path": "bezirke.zip", "format": "shp",
                                "schema": schema}])
    with pytest.raises(InputError, match=r"bezirke\.zip holds 2 Shapefiles"):
        load_package(root)
    root = _package(tmp_path, [{"name": "b", "path": "bezirke.zip", "format": "shp",
                                "layer": "bezirke", "schema": schema}])
    assert _findings(root) == [("type-error", n, "bezirk") for n in range(1, 6)]
    report = validate_package(load_package(root))
    assert report.findings[0].message.startswith("Type Error in resource 'b', feature 1")


def test_geoparquet_crs_and_plain_parquet_refused(tmp_path: Path) -> None:
    generate.geoparquet(tmp_path)
    root = _package(tmp_path, [{"name": "r", "path": "radwege.parquet"}])
    resource = load_package(root).resources[0]
    assert resource.format == "geoparquet" and resource.geometry is not None
    assert resource.geometry.crs == "EPSG:25832"
    assert resource.table().index.tolist() == [1, 2, 3, 4, 5, 6]
    pd.DataFrame({"a": [1, 2]}).to_parquet(tmp_path / "plain.parquet")
    root = _package(tmp_path, [{"name": "p", "path": "plain.parquet"}])
    with pytest.raises(InputError, match="is not GeoParquet"):
        load_package(root)


def test_geoparquet_invalid_geometry_is_a_finding_at_its_feature(tmp_path: Path) -> None:
    bow_tie = shapely.Polygon([(315000, 5690000), (315100, 5690100), (315100, 5690000),
                               (315000, 5690100), (315000, 5690000)])
    frame = gpd.GeoDataFrame({"n": [1, 2]}, geometry=[shapely.box(315000, 5690000, 315100,
                                                                  5690100), bow_tie],
                             crs="EPSG:25832")
    frame.to_parquet(tmp_path / "f.parquet")
    root = _package(tmp_path, [{"name": "f", "path": "f.parquet"}])
    assert ("invalid-geometry", 2, None) in _findings(root)


def test_flatgeobuf_header_checked(tmp_path: Path) -> None:
    generate.flatgeobuf(tmp_path)
    root = _package(tmp_path, [{"name": "h", "path": "haltestellen.fgb"}])
    resource = load_package(root).resources[0]
    assert resource.geometry is not None and len(resource.table()) == 15
    (tmp_path / "fake.fgb").write_text(json.dumps({"type": "FeatureCollection"}),
                                       encoding="utf-8")
    root = _package(tmp_path, [{"name": "f", "path": "fake.fgb"}])
    with pytest.raises(InputError, match="is not FlatGeobuf"):
        load_package(root)
