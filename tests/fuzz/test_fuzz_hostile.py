"""Property-based fuzzing with hostile shapes and sizes (issue 24): nesting at
and past the limits in descriptors (JSON and YAML, at any place), alias
chains, tables as wide, cells and records as large as the limits and just
past them, WKT and GeoJSON geometries nested deep. Every input ends in a
Package or a PublisherError (a LimitError naming its setting, where a limit
was passed), never another exception, a crash or a hang. Small limits keep
the sizes small."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher import limits
from publisher.errors import PublisherError
from publisher.limits import LimitError, Limits
from publisher.package.model import Package
from tests.fuzz.harness import csv_target, descriptor_target, geojson_target
from tests.fuzz.test_fuzz_readers import EXAMPLES

SMALL = Limits(max_nesting_depth=16, max_yaml_nodes=2_000, max_yaml_aliases=20, max_columns=40,
               max_cell_bytes=1024, max_row_bytes=2048, max_geometry_depth=6,
               max_geometry_vertices=200, max_resources=8)
# each example builds and reads a package: a quarter of the readers' count
FUZZ = settings(max_examples=max(25, EXAMPLES // 4), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
DEPTHS = st.sampled_from([1, 4, 14, 15, 16, 17, 40, 3_000, 60_000])


def _ends_well(outcome: object, limit_passed: bool | None = None) -> None:
    assert isinstance(outcome, Package | PublisherError), outcome
    if limit_passed:
        assert isinstance(outcome, PublisherError)
    if isinstance(outcome, LimitError):
        assert f"(setting {outcome.limit})" in outcome.message


def _nest(value: Any, depth: int, kinds: list[str]) -> Any:
    for level in range(depth):
        value = [value] if kinds[level % len(kinds)] == "list" else {"x": value}
    return value


def _text(value: Any, depth: int, kinds: list[str]) -> str:
    """JSON text of `value` nested `depth` deep, written without recursion."""
    opening, closing = "", ""
    for level in range(depth):
        if kinds[level % len(kinds)] == "list":
            opening, closing = opening + "[", "]" + closing
        else:
            opening, closing = opening + '{"x": ', "}" + closing
    return opening + json.dumps(value) + closing


@FUZZ
@given(DEPTHS, st.lists(st.sampled_from(["list", "dict"]), min_size=1, max_size=3),
       st.sampled_from(["top", "resource", "schema", "field"]),
       st.sampled_from(["datapackage.json", "datapackage.yaml"]))
def test_deep_nesting_anywhere_in_a_descriptor(depth: int, kinds: list[str], where: str,
                                               name: str) -> None:
    deep = "@DEEP@"
    field = {"name": "id", "type": "integer", "description": deep}
    resource = {"name": "data", "path": "data.csv", "format": "csv",
                "schema": {"fields": [field]}}
    descriptor: dict[str, Any] = {"name": "fuzz", "resources": [resource]}
    {"top": descriptor, "resource": resource, "schema": resource["schema"],
     "field": field}[where]["extra"] = deep
    text = json.dumps(descriptor).replace(json.dumps(deep), _text(1, depth, kinds))
    with limits.applied(SMALL):
        _ends_well(descriptor_target(text.encode(), name), limit_passed=depth > 16)


@FUZZ
@given(st.integers(1, 12), st.integers(1, 12))
def test_yaml_alias_chains(levels: int, width: int) -> None:
    lines = ["name: fuzz", "a0: &a0 [x]"]
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]")
    lines.append("resources: [{name: data, path: data.csv, format: csv}]")
    with limits.applied(SMALL):
        _ends_well(descriptor_target("\n".join(lines).encode(), "datapackage.yaml"))


@FUZZ
@given(st.integers(1, 80), st.integers(0, 3000), st.integers(1, 5),
       st.sampled_from(["", '"', "\r\n", "\r"]))
def test_csv_sizes_around_the_limits(columns: int, cell: int, rows: int, extra: str) -> None:
    header = ",".join(["id", "name", "lat", "lon"] + [f"c{i}" for i in range(columns)])
    quote = '"' if extra == '"' else ""
    newline = extra if extra in ("\r\n", "\r") else "\n"
    record = ",".join(["1", quote + "n" * cell + quote, "51.3", "12.3"] + ["x"] * columns)
    data = (header + newline + (record + newline) * rows).encode()
    passed = columns + 4 > SMALL.max_columns or cell > SMALL.max_cell_bytes \
        or len(record) + len(newline) > SMALL.max_row_bytes
    with limits.applied(SMALL):
        _ends_well(csv_target(data), limit_passed=passed)


@FUZZ
@given(DEPTHS, st.sampled_from(["GEOMETRYCOLLECTION (", "MULTIPOLYGON ((", "POLYGON (("]),
       st.integers(1, 400))
def test_wkt_deep_and_long(depth: int, shape: str, vertices: int) -> None:
    ring = ", ".join(["12.3 51.3"] * vertices)
    wkt = "GEOMETRYCOLLECTION (" * depth + f"LINESTRING ({ring})" + ")" * depth \
        if shape.startswith("GEOMETRY") else shape + ring + "))" + (")" if "MULTI" in shape else "")
    data = f'id,name,lat,lon,wkt\n1,a,51.3,12.3,"{wkt}"\n'.encode()
    with limits.applied(SMALL):
        _ends_well(csv_target(data, {"geometry": {"kind": "wkt", "column": "wkt"},
                                     "schema": {"fields": [
                                         {"name": n} for n in ("id", "name", "lat", "lon",
                                                               "wkt")]}}))


@FUZZ
@given(DEPTHS, st.integers(0, 300))
def test_geojson_deep_collections_and_long_properties(depth: int, size: int) -> None:
    point = '{"type": "Point", "coordinates": [12.3, 51.3]}'
    geometry = '{"type": "GeometryCollection", "geometries": [' * depth + point \
        + "]}" * depth
    feature = ('{"type": "Feature", "properties": {"name": "' + "n" * size * 10
               + '", "crs": "x"}, "geometry": ' + geometry + "}")
    data = ('{"type": "FeatureCollection", "features": [' + feature + "]}").encode()
    with limits.applied(SMALL):
        _ends_well(geojson_target(data))
