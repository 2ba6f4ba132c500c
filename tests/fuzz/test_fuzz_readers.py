"""Property-based fuzzing of the descriptor loader and the CSV, GeoJSON and
GeoPackage readers: every input ends in a Package or a PublisherError, never
another exception. Short runs here (a few seconds each); the long run is the
atheris harness (tests/fuzz/atheris_fuzz.py).
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.errors import PublisherError
from publisher.package.model import Package
from tests.fuzz.harness import (
    csv_target,
    descriptor_target,
    geojson_target,
    gpkg_target,
    seed_gpkg,
)

# PUBLISHER_FUZZ_EXAMPLES=5000 for a longer run of the same properties
EXAMPLES = int(os.environ.get("PUBLISHER_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text(max_size=12))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=12)
paths = st.sampled_from(["data.csv", "../data.csv", "/etc/passwd", "C:/x.csv", "a\\b.csv",
                         "", "data", "x.geojson", "x.gpkg", "x.kml", "file:///etc/passwd",
                         "http://127.0.0.1:9/x.csv", "data.csv\x00", "%2e%2e/x.csv"])
resource_items = st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["a", "b", "../x", "", "a/b", "ok-name"]) | st.text(max_size=6),
    "path": paths | json_values,
    "format": st.sampled_from(["csv", "geojson", "gpkg", "json", "kml", "xlsx"]) | json_values,
    "schema": st.fixed_dictionaries({"fields": st.lists(st.fixed_dictionaries(
        {"name": st.sampled_from(["id", "name", "lat", "lon"]) | st.text(max_size=4)},
        optional={"type": st.sampled_from(["integer", "string", "number", "banana"]),
                  "constraints": json_values}), max_size=4)}) | json_values,
    "encoding": st.sampled_from(["utf-8", "latin-1", "utf-16", "base64", "klingon"]),
    "dialect": st.fixed_dictionaries({}, optional={
        "delimiter": st.sampled_from([",", ";", "||", "", "\n"]),
        "quoteChar": st.sampled_from(['"', "'", "", "\n"]),
        "header": st.booleans()}) | json_values,
    "geometry": st.fixed_dictionaries({}, optional={
        "kind": st.sampled_from(["latlon", "wkt", "h3"]),
        "lat": st.sampled_from(["lat", "id", "nope"]), "lon": st.sampled_from(["lon", "id"]),
        "column": st.sampled_from(["name", "nope"]),
        "crs": st.sampled_from(["EPSG:4326", "EPSG:999999", "banana", ""]) | json_values,
    }) | st.booleans(),
    "data": json_values, "layer": json_values, "profile": st.text(max_size=10),
})
descriptors = st.fixed_dictionaries({}, optional={
    "name": json_values, "licenses": json_values,
    "resources": st.lists(resource_items, max_size=3) | json_values,
})


def _ends_well(outcome: object) -> None:
    assert isinstance(outcome, Package | PublisherError)


@FUZZ
@given(descriptors)
def test_structured_descriptors(descriptor: dict[str, Any]) -> None:
    _ends_well(descriptor_target(json.dumps(descriptor).encode()))


@FUZZ
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       st.sampled_from(["datapackage.json", "datapackage.yaml"]))
def test_descriptor_bytes(data: bytes, name: str) -> None:
    _ends_well(descriptor_target(data, name))


csv_text = st.text(alphabet=st.sampled_from(list('ab1.-,;"\n\r\t \x00\ufeffäNaninf')),
                   max_size=200)


@FUZZ
@given(st.one_of(csv_text.map(lambda t: "id,name,lat,lon\n" + t), csv_text)
       .flatmap(lambda t: st.sampled_from(["utf-8", "latin-1", "utf-16"]).map(
           lambda e: t.encode(e, errors="ignore")))
       | st.binary(max_size=200),
       st.fixed_dictionaries({}, optional={
           "encoding": st.sampled_from(["utf-8", "latin-1", "utf-16", "cp1252"]),
           "dialect": st.fixed_dictionaries({"delimiter": st.sampled_from([",", ";", "\t"])}),
           "geometry": st.sampled_from([False, {"kind": "latlon", "lat": "lat", "lon": "lon"},
                                        {"kind": "wkt", "column": "name"}]),
       }))
def test_csv_reader(data: bytes, extra: dict[str, Any]) -> None:
    _ends_well(csv_target(data, extra))


numbers = st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**30, 10**30)
coordinates = st.recursive(st.lists(numbers, max_size=3),
                           lambda inner: st.lists(inner, max_size=4), max_leaves=16)
geometries = st.none() | st.fixed_dictionaries({
    "type": st.sampled_from(["Point", "LineString", "Polygon", "MultiPolygon",
                             "GeometryCollection", "Circle", ""]),
    "coordinates": coordinates | json_values,
}, optional={"geometries": st.lists(json_values, max_size=2), "crs": json_values})
crs_members = st.fixed_dictionaries({
    "type": st.sampled_from(["name", "link", "EPSG", "Link", "url"]),
    "properties": st.fixed_dictionaries({}, optional={
        "name": st.sampled_from(["urn:ogc:def:crs:EPSG::25832", "EPSG:4326", "x"]),
        "href": st.just("http://127.0.0.1:9/crs"), "code": st.integers(0, 99999)})})
features = st.fixed_dictionaries({"type": st.sampled_from(["Feature", "feature", "X"]),
                                  "geometry": geometries},
                                 optional={"properties": st.dictionaries(
                                     st.sampled_from(["name", "id", ""]), json_values,
                                     max_size=2) | json_values})
collections = st.fixed_dictionaries({"type": st.sampled_from(["FeatureCollection", "Feature"]),
                                     "features": st.lists(features, max_size=4)},
                                    optional={"crs": crs_members | json_values})


@FUZZ
@given(collections, st.integers(0, 400), st.booleans())
def test_geojson_reader(collection: dict[str, Any], cut: int, truncate: bool) -> None:
    text = json.dumps(collection, allow_nan=True)
    data = (text[:cut] if truncate else text).encode()
    _ends_well(geojson_target(data))


@FUZZ
@given(st.binary(max_size=200))
def test_geojson_reader_bytes(data: bytes) -> None:
    _ends_well(geojson_target(data))


SEED = seed_gpkg()


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(SEED) - 1), st.integers(0, 255)), max_size=24),
       st.integers(1, len(SEED)))
def test_gpkg_reader(flips: list[tuple[int, int]], keep: int) -> None:
    data = bytearray(SEED)
    for offset, value in flips:
        data[offset] = value
    _ends_well(gpkg_target(bytes(data[:keep] if keep < 1024 else data)))


def test_fuzz_targets_accept_a_good_input() -> None:
    good = b"id,name,lat,lon\n1,a,51.3,12.3\n"
    assert isinstance(csv_target(good), Package)
    assert isinstance(gpkg_target(SEED), Package)
