"""validate_package on packages that go through publisher.package.loader."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from shapely import Point, Polygon
from validate_cases import CASES, build_package

from publisher.errors import InputError
from publisher.package.loader import load_package
from publisher.validate import validate_package


@pytest.mark.parametrize("case", ["table-valid", "table-broken", "geo-valid", "geo-broken"])
def test_loaded_package_gives_the_same_report_as_hand_built(case: str) -> None:
    loaded = validate_package(load_package(CASES / case))
    assert loaded.to_dict() == validate_package(build_package(case)).to_dict()
    assert loaded.valid == case.endswith("-valid")


def test_loaded_latlon_csv_flags_the_swapped_row() -> None:
    report = validate_package(load_package(CASES / "geo-latlon"))
    assert [(f.type, f.row, f.hint is not None) for f in report.findings] == [
        ("out-of-extent", 3, True)]
    assert report.stats["resources"]["haltestellen"]["rows"] == 3
    assert report.stats["resources"]["haltestellen"]["features"] == 3


def test_loaded_latlon_csv_with_nan_coordinates(tmp_path: Path) -> None:
    shutil.copy(CASES / "geo-latlon" / "datapackage.json", tmp_path)
    (tmp_path / "haltestellen.csv").write_text(
        "id,name,lat,lon\n1,A,48.14,11.56\n2,B,NaN,11.57\n3,C,48.13,inf\n", encoding="utf-8")
    report = validate_package(load_package(tmp_path))
    assert {(f.type, f.row) for f in report.findings} == {("empty-geometry", 3),
                                                          ("empty-geometry", 4)}
    assert all("not a finite number" in f.message for f in report.findings)


def test_geojson_with_unknown_crs_member_is_refused() -> None:
    # GDAL would read an unknown GeoJSON `crs` member as WGS 84: the loader refuses it.
    with pytest.raises(InputError, match=r"unbekannt\.geojson declares the unknown geometry crs"):
        load_package(CASES / "geo-crs")


def test_loaded_geopackage_in_utm(tmp_path: Path) -> None:
    bowtie = Polygon([(691_000, 5_334_000), (691_100, 5_334_100), (691_100, 5_334_000),
                      (691_000, 5_334_100)])
    frame = gpd.GeoDataFrame({"nr": [1, 2, 3]},
                             geometry=[Point(691_000, 5_334_000), bowtie,
                                       Point(5_334_000, 691_000)], crs="EPSG:25832")
    frame.to_file(tmp_path / "flaechen.gpkg", layer="flaechen", driver="GPKG")
    descriptor = {"name": "gpkg", "resources": [
        {"name": "flaechen", "path": "flaechen.gpkg", "format": "gpkg",
         "schema": {"fields": [{"name": "nr", "type": "integer"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate_package(load_package(tmp_path))
    assert {(f.type, f.row) for f in report.findings} == {("invalid-geometry", 2),
                                                          ("out-of-extent", 3)}
    swapped = next(f for f in report.findings if f.type == "out-of-extent")
    assert "swapped" in swapped.message


def test_malformed_geojson_raises_input_error(tmp_path: Path) -> None:
    descriptor = {"name": "kaputt", "resources": [
        {"name": "kaputt", "path": "kaputt.geojson", "format": "geojson"}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    shutil.copy(CASES / "geo-valid" / "standorte.geojson", tmp_path / "kaputt.geojson")
    package = load_package(tmp_path)
    (tmp_path / "kaputt.geojson").write_text('{"type": "FeatureCollection", "feat',
                                             encoding="utf-8")
    with pytest.raises(InputError):
        validate_package(package)
