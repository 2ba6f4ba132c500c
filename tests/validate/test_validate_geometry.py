"""Geometry checks: empty, invalid, CRS, non-finite, extent (with the swap hint)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely import Point, Polygon
from validate_cases import CASES, build_package

import publisher.validate.geometry as geometry_module
from publisher.errors import InputError
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.validate import Extent, validate_package
from publisher.validate.geometry import check_geometry, clean_reason

BOWTIE = Polygon([(13.40, 52.50), (13.41, 52.51), (13.41, 52.50), (13.40, 52.51)])
NUMBER = re.compile(r"\d+\.\d+")


def _resource(geoms: list[object], *, crs: str | None = "EPSG:4326",
              spec_crs: str = "EPSG:4326", index: list[int] | None = None) -> Resource:
    frame = gpd.GeoDataFrame({"n": range(len(geoms))}, geometry=geoms, crs=crs,
                             index=index or list(range(1, len(geoms) + 1)))
    return Resource("punkte", "geojson", {"name": "punkte"}, path=None,
                    geometry=GeometrySpec(kind="native", crs=spec_crs), data=frame)


def _types(resource: Resource, extent: Extent | None = None) -> set[tuple[str, int | None]]:
    result = check_geometry(resource) if extent is None else check_geometry(resource, extent)
    return {(f.type, f.row) for f in result.findings}


def test_valid_geojson_package_is_valid() -> None:
    report = validate_package(build_package("geo-valid"))
    assert report.valid, report.to_dict()
    stats = report.stats["resources"]["standorte"]
    assert stats["features"] == 3
    assert {"table-schema", "invalid-geometry", "out-of-extent"} <= set(stats["checks"])


def test_bowtie_is_invalid_at_its_feature_number() -> None:
    report = validate_package(build_package("geo-broken"))
    [finding] = [f for f in report.findings if f.resource == "flaechen"]
    assert (finding.type, finding.row) == ("invalid-geometry", 2)
    assert finding.message.endswith("Self-intersection")
    assert not NUMBER.search(finding.message)


def test_missing_and_empty_geometry() -> None:
    resource = _resource([Point(11.5, 48.1), None, shapely.from_wkt("POINT EMPTY"),
                          shapely.from_wkt("POLYGON EMPTY")])
    assert _types(resource) == {("empty-geometry", 2), ("empty-geometry", 3),
                                ("empty-geometry", 4)}


def test_missing_geometry_in_geojson_file() -> None:
    report = validate_package(build_package("geo-broken"))
    found = {(f.type, f.row) for f in report.findings if f.resource == "ohne-geometrie"}
    assert found == {("empty-geometry", 2)}


def test_swapped_lat_lon_is_out_of_extent_with_hint() -> None:
    report = validate_package(build_package("geo-broken"))
    extent = {f.row: f for f in report.findings if f.type == "out-of-extent"}
    assert set(extent) == {2, 3}
    assert "swapped" in extent[2].message and extent[2].hint
    assert "swapped" not in extent[3].message and extent[3].hint is None
    for finding in extent.values():
        assert "50.9" not in finding.message and "6.96" not in finding.message


def test_swapped_lat_lon_in_csv_columns() -> None:
    root = CASES / "geo-latlon"
    descriptor = {"name": "haltestellen", "path": "haltestellen.csv", "format": "csv",
                  "schema": {"fields": [{"name": n, "type": t} for n, t in
                                        [("id", "integer"), ("name", "string"),
                                         ("lat", "number"), ("lon", "number")]]}}
    resource = Resource("haltestellen", "csv", descriptor, path=root / "haltestellen.csv",
                        geometry=GeometrySpec(kind="latlon", lat="lat", lon="lon"))
    package = Package(root=root, descriptor={"name": "h", "resources": [descriptor]},
                      resources=[resource])
    report = validate_package(package)
    [finding] = report.findings
    assert (finding.type, finding.row) == ("out-of-extent", 3)
    assert "row 3" in finding.message and "swapped" in finding.message


def test_projected_crs_inside_and_swapped() -> None:
    # Munich in ETRS89 / UTM 32N, then with easting and northing exchanged.
    resource = _resource([Point(691_000, 5_334_000), Point(5_334_000, 691_000)],
                         crs="EPSG:25832", spec_crs="EPSG:25832")
    result = check_geometry(resource)
    assert [(f.type, f.row, f.hint is not None) for f in result.findings] == [
        ("out-of-extent", 2, True)]


def test_custom_extent() -> None:
    vienna = Extent(min_lon=16.18, min_lat=48.11, max_lon=16.58, max_lat=48.33)
    resource = _resource([Point(16.37, 48.21), Point(11.57, 48.14)])
    assert _types(resource, vienna) == {("out-of-extent", 2)}


def test_unknown_declared_crs_is_one_finding() -> None:
    resource = _resource([Point(1, 2), Point(3, 4)], crs=None, spec_crs="EPSG:999999")
    result = check_geometry(resource)
    assert [(f.type, f.row) for f in result.findings] == [("unknown-crs", None)]
    assert "out-of-extent" not in result.stats["checks"]
    assert any("extent check skipped" in n for n in result.notes)


def test_missing_crs_is_one_finding() -> None:
    resource = _resource([Point(11.5, 48.1)], crs=None, spec_crs="")
    assert _types(resource) == {("unknown-crs", None)}


def test_nan_and_infinite_coordinates() -> None:
    nan = float("nan")
    resource = _resource([Point(11.5, 48.1), Point(nan, nan), Point(11.5, float("inf")),
                          Point(11.5, 48.1, nan)])
    found = _types(resource)
    assert found == {("non-finite-coordinate", 2), ("non-finite-coordinate", 3),
                     ("non-finite-coordinate", 4)}


def test_findings_are_capped_but_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geometry_module, "MAX_FINDINGS", 2)
    resource = _resource([BOWTIE] * 5)
    result = check_geometry(resource)
    assert len(result.findings) == 2
    assert result.stats["geometry"]["invalid-geometry"] == 5
    assert any("5 invalid-geometry findings" in n for n in result.notes)


def test_clean_reason_strips_coordinates() -> None:
    assert clean_reason("Self-intersection[13.405 52.505]") == "Self-intersection"
    assert clean_reason("Ring Self-intersection[1 2]") == "Ring Self-intersection"
    assert clean_reason("[1 2]") == "invalid geometry"


def test_unreadable_table_propagates_input_error(tmp_path: Path) -> None:
    (tmp_path / "kaputt.geojson").write_text("{not json", encoding="utf-8")
    descriptor = {"name": "kaputt", "path": "kaputt.geojson", "format": "geojson"}
    resource = Resource("kaputt", "geojson", descriptor, path=tmp_path / "kaputt.geojson",
                        geometry=GeometrySpec(kind="native"))
    package = Package(root=tmp_path, descriptor={"name": "p", "resources": [descriptor]},
                      resources=[resource])
    with pytest.raises(InputError):
        validate_package(package)
