"""The CRS of a GeoJSON file: a legacy `crs` member is honoured when GDAL and
pyproj know it, and refused (naming the file and the CRS) when it would be read
as WGS 84 behind the user's back: unknown names, names GDAL does not read, a
CRS inside a feature or geometry that differs from the file's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from publisher.errors import InputError
from publisher.package.loader import load_package
from publisher.package.model import Package
from publisher.package.writer import write_package
from publisher.validate import validate_package

UTM_SQUARE = [[[318000, 5690000], [318100, 5690000], [318100, 5690100], [318000, 5690100],
               [318000, 5690000]]]  # ETRS89 / UTM 32N, near Düsseldorf


def named(name: str) -> dict[str, Any]:
    return {"type": "name", "properties": {"name": name}}


def collection(crs: object = None, geometry_crs: object = None,
               feature_crs: object = None) -> dict[str, Any]:
    geometry: dict[str, Any] = {"type": "Polygon", "coordinates": UTM_SQUARE}
    if geometry_crs is not None:
        geometry["crs"] = geometry_crs
    feature: dict[str, Any] = {"type": "Feature", "geometry": geometry,
                               "properties": {"name": "Fläche"}}
    if feature_crs is not None:
        feature["crs"] = feature_crs
    result: dict[str, Any] = {"type": "FeatureCollection", "features": [feature]}
    if crs is not None:
        result["crs"] = crs
    return result


def load(make_package: Any, data: dict[str, Any]) -> Package:
    root = make_package([{"name": "flaechen", "path": "flaechen.geojson"}],
                        {"flaechen.geojson": json.dumps(data)})
    return load_package(root)


def crs_of(package: Package) -> str:
    spec = package.resources[0].geometry
    assert spec is not None and spec.kind == "native"
    return spec.crs


def refusal(make_package: Any, data: dict[str, Any]) -> str:
    with pytest.raises(InputError) as err:
        load(make_package, data)
    assert err.value.exit_code == 2
    return str(err.value)


@pytest.mark.parametrize("crs", [
    named("urn:ogc:def:crs:EPSG::25832"),
    named("EPSG:25832"),
    named("http://www.opengis.net/def/crs/EPSG/0/25832"),
    {"type": "EPSG", "properties": {"code": 25832}},
])
def test_legacy_crs_member_is_honoured_up_to_the_published_file(
    make_package: Any, tmp_path: Path, crs: dict[str, Any]
) -> None:
    package = load(make_package, collection(crs))
    assert crs_of(package) == "EPSG:25832"
    assert package.resources[0].table().crs.to_epsg() == 25832
    report = validate_package(package)
    assert report.valid, [f.message for f in report.findings]  # read as metres, in Germany
    write_package(package, tmp_path / "out")
    written = json.loads((tmp_path / "out" / "data" / "flaechen.geojson").read_text("utf-8"))
    lon, lat = written["features"][0]["geometry"]["coordinates"][0][0]
    assert 6.38 < lon < 6.39 and 51.33 < lat < 51.34  # transformed to WGS 84


def test_the_same_crs_repeated_in_a_geometry_is_fine(make_package: Any) -> None:
    data = collection(named("EPSG:25832"), geometry_crs=named("urn:ogc:def:crs:EPSG::25832"))
    assert crs_of(load(make_package, data)) == "EPSG:25832"


def test_crs84_in_a_feature_of_a_wgs84_file_is_fine(make_package: Any) -> None:
    data = collection(feature_crs=named("urn:ogc:def:crs:OGC:1.3:CRS84"))
    data["features"][0]["geometry"]["coordinates"] = [[[6.4, 51.3], [6.5, 51.3], [6.5, 51.4],
                                                       [6.4, 51.3]]]
    assert crs_of(load(make_package, data)) == "EPSG:4326"


@pytest.mark.parametrize("name", [
    "urn:ogc:def:crs:EPSG::999999", "FOO:1", "Gauss-Krüger", "",
    "urn:ogc:def:crs:EPSG::25832+5783",
])
def test_unknown_crs_name_names_file_and_crs(make_package: Any, name: str) -> None:
    message = refusal(make_package, collection(named(name)))
    assert ("resource 'flaechen': flaechen.geojson declares the unknown geometry crs "
            f"{name!r}") in message


def test_unknown_legacy_epsg_code(make_package: Any) -> None:
    message = refusal(make_package, collection({"type": "EPSG", "properties": {"code": 999999}}))
    assert "flaechen.geojson declares the unknown geometry crs 'EPSG:999999'" in message


def test_a_long_unknown_crs_is_cut_short_in_the_message(make_package: Any) -> None:
    message = refusal(make_package, collection(named('PROJCS["x",' + "A" * 500 + "]")))
    assert "unknown geometry crs 'PROJCS[\"x\",AAA" in message and "A" * 100 not in message


def test_unknown_crs_inside_a_feature_is_refused(make_package: Any) -> None:
    message = refusal(make_package, collection(feature_crs=named("FOO:1")))
    assert "flaechen.geojson declares the unknown geometry crs 'FOO:1'" in message


@pytest.mark.parametrize(("top", "nested", "files_crs"), [
    (None, "EPSG:25832", "'EPSG:4326'"),
    ("EPSG:3035", "EPSG:25832", "'EPSG:3035'"),
])
def test_other_crs_inside_a_geometry_is_refused(
    make_package: Any, top: str | None, nested: str, files_crs: str
) -> None:
    data = collection(named(top) if top else None, geometry_crs=named(nested))
    message = refusal(make_package, data)
    assert (f"flaechen.geojson declares the CRS '{nested}' inside a feature or geometry, "
            f"but the file's CRS is {files_crs}") in message


def test_two_top_level_members_that_disagree(make_package: Any) -> None:
    data = collection(named("EPSG:25832"))
    data["CRS"] = named("EPSG:3035")
    assert "more than one top-level crs member" in refusal(make_package, data)


def test_two_top_level_members_that_agree_are_fine(make_package: Any) -> None:
    data = collection(named("EPSG:25832"))
    data["CRS"] = named("urn:ogc:def:crs:EPSG::25832")
    assert crs_of(load(make_package, data)) == "EPSG:25832"


def test_crs_pyproj_reads_but_gdal_does_not_is_refused(make_package: Any) -> None:
    message = refusal(make_package, collection(named("init=epsg:25832")))
    assert ("flaechen.geojson declares the geometry crs 'init=epsg:25832', which GDAL does "
            "not read as such (it reads 'EPSG:4326')") in message


def test_link_is_still_refused_before_any_name_is_resolved(make_package: Any) -> None:
    data = collection(named("FOO:1"),
                      geometry_crs={"type": "link", "properties": {"href": "http://127.0.0.1:9/"}})
    assert "by link or URL" in refusal(make_package, data)


def load_stated(make_package: Any, data: dict[str, Any], stated: str) -> Package:
    root = make_package([{"name": "flaechen", "path": "flaechen.geojson",
                          "geometry": {"crs": stated}}],
                        {"flaechen.geojson": json.dumps(data)})
    return load_package(root)


def test_descriptor_names_the_crs_of_a_geojson_without_crs_member(
    make_package: Any, tmp_path: Path
) -> None:
    # written in UTM without a crs member (RFC 7946 would say WGS 84): the descriptor says so
    package = load_stated(make_package, collection(), "EPSG:25832")
    assert crs_of(package) == "EPSG:25832"
    assert package.resources[0].table().crs.to_epsg() == 25832
    report = validate_package(package)
    assert report.valid, [f.message for f in report.findings]
    write_package(package, tmp_path / "out")
    written = json.loads((tmp_path / "out" / "data" / "flaechen.geojson").read_text("utf-8"))
    lon, lat = written["features"][0]["geometry"]["coordinates"][0][0]
    assert 6.38 < lon < 6.39 and 51.33 < lat < 51.34


def test_without_the_descriptor_crs_the_same_file_is_out_of_extent(make_package: Any) -> None:
    report = validate_package(load(make_package, collection()))
    assert any(f.type == "out-of-extent" for f in report.findings)


def test_descriptor_crs_agreeing_with_the_file_is_fine(make_package: Any) -> None:
    package = load_stated(make_package, collection(named("EPSG:25832")),
                          "urn:ogc:def:crs:EPSG::25832")
    assert crs_of(package) == "EPSG:25832"


def test_descriptor_crs_contradicting_the_file_is_refused(make_package: Any) -> None:
    with pytest.raises(InputError) as err:
        load_stated(make_package, collection(named("EPSG:25832")), "EPSG:4326")
    assert err.value.exit_code == 2
    assert ("resource 'flaechen': the descriptor's geometry crs 'EPSG:4326' contradicts the "
            "crs flaechen.geojson declares ('EPSG:25832')") in str(err.value)


def test_descriptor_crs_contradicting_a_geopackage_is_refused(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely import Point

    root = tmp_path / "pkg"
    root.mkdir()
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(318000, 5690000)],
                     crs="EPSG:25832").to_file(root / "punkte.gpkg", layer="punkte")
    (root / "datapackage.json").write_text(json.dumps({
        "name": "p", "resources": [{"name": "punkte", "path": "punkte.gpkg", "format": "gpkg",
                                    "geometry": {"crs": "EPSG:3035"}}]}), encoding="utf-8")
    with pytest.raises(InputError, match=r"contradicts the crs punkte\.gpkg declares"):
        load_package(root)


def test_unknown_descriptor_crs_is_refused(make_package: Any) -> None:
    with pytest.raises(InputError, match="unknown geometry crs 'FOO:1'"):
        load_stated(make_package, collection(), "FOO:1")


@pytest.mark.parametrize("text", ['"Max\\u0000Mustermann"', '"Max\\\\\\u0000"'])
def test_nul_in_geojson_text_is_refused(make_package: Any, text: str) -> None:
    # GDAL cuts a text at NUL: "Max\u0000Mustermann" would be read as "Max"
    raw = json.dumps(collection(named("EPSG:25832"))).replace('"Fl\\u00e4che"', text)
    root = make_package([{"name": "flaechen", "path": "flaechen.geojson"}],
                        {"flaechen.geojson": raw})
    with pytest.raises(InputError, match=r"flaechen.* holds a NUL character \(U\+0000\)"):
        load_package(root)


def test_an_escaped_backslash_before_u0000_is_not_a_nul(make_package: Any) -> None:
    raw = json.dumps(collection(named("EPSG:25832"))).replace('"Fl\\u00e4che"',
                                                              '"C:\\\\u0000"')
    root = make_package([{"name": "flaechen", "path": "flaechen.geojson"}],
                        {"flaechen.geojson": raw})
    assert load_package(root).resources[0].table()["name"].tolist() == ["C:\\u0000"]


def test_the_published_package_reads_back_as_wgs84(make_package: Any, tmp_path: Path) -> None:
    # the descriptor's crs described the source file; the published file is WGS 84
    package = load_stated(make_package, collection(), "EPSG:25832")
    write_package(package, tmp_path / "out")
    again = load_package(tmp_path / "out")
    assert crs_of(again) == "EPSG:4326"
    assert validate_package(again).valid


@pytest.mark.parametrize("value", ["Baumschule", {"type": "link", "properties": {"href": "x"}},
                                   {"type": "name", "properties": {"name": "EPSG:25832"}}])
def test_a_property_named_crs_is_an_ordinary_property(make_package: Any, value: object) -> None:
    """Only the members of the collection, features and geometries are CRS
    members; a feature's properties are data, whatever their names."""
    data = collection(named("EPSG:25832"))
    data["features"][0]["properties"] = {"name": "Fläche", "crs": value,
                                         "meta": {"crs": value}}
    package = load(make_package, data)
    assert crs_of(package) == "EPSG:25832"
    table = package.resources[0].table()
    assert "crs" in table.columns


def test_array_and_object_properties_are_no_type_errors(make_package: Any) -> None:
    data = collection(named("EPSG:25832"))
    data["features"][0]["properties"] = {"name": "Fläche", "tags": ["Park", "Wiese"],
                                         "counts": [1, 2], "meta": {"pflege": "jährlich"}}
    root = make_package([{"name": "flaechen", "path": "flaechen.geojson", "schema": {
        "fields": [{"name": "name", "type": "string"}, {"name": "tags", "type": "array"},
                   {"name": "counts", "type": "array"}, {"name": "meta", "type": "object"}]}}],
        {"flaechen.geojson": json.dumps(data)})
    report = validate_package(load_package(root))
    assert report.valid, [f.message for f in report.findings]
