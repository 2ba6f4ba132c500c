from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from publisher.errors import InputError, UnsafePathError
from publisher.package import remote
from publisher.package.loader import load_package
from publisher.package.model import GeometrySpec

CASES = Path(__file__).resolve().parents[1] / "cases" / "package"
CSV = "id,name,lat,lon\n1,a,52.5,13.4\n"
SCHEMA = {"fields": [{"name": n, "type": "string"} for n in ("id", "name", "lat", "lon")]}


def csv_resource(**extra: Any) -> dict[str, Any]:
    return {"name": "reports", "path": "reports.csv", "schema": SCHEMA, **extra}


def test_city_package_describes_every_resource() -> None:
    package = load_package(CASES / "city")
    assert package.name == "stadt-beispiel"
    assert package.root == (CASES / "city").resolve()
    got = {r.name: (r.format, r.geometry) for r in package.resources}
    assert got == {
        "haltestellen": ("csv", GeometrySpec("latlon", "EPSG:4326", lat="lat", lon="lon")),
        "baustellen": ("csv", GeometrySpec("wkt", "EPSG:25832", column="geom")),
        "spielplaetze": ("geojson", GeometrySpec("native", "EPSG:4326")),
        "bezirke": ("geojson", GeometrySpec("native", "EPSG:4326")),
        "einwohner": ("csv", None),
    }
    assert all(r.data is None for r in package.resources)  # read on first use


def test_schema_given_as_path_is_inlined() -> None:
    resource = load_package(CASES / "city").resource("baustellen")
    assert resource.field_names == ["id", "beschreibung", "geom"]
    assert isinstance(resource.descriptor["schema"], dict)


def test_yaml_package_with_german_coordinate_names() -> None:
    package = load_package(CASES / "yaml_pkg")
    assert package.descriptor["created"] == "2024-05-01"  # a YAML date stays text
    assert package.resources[0].geometry == GeometrySpec(
        "latlon", "EPSG:4326", lat="Breite", lon="Laenge"
    )


def test_descriptor_file_as_source() -> None:
    package = load_package(str(CASES / "yaml_pkg" / "datapackage.yaml"))
    assert package.root == (CASES / "yaml_pkg").resolve()
    assert package.source.endswith("datapackage.yaml")


def test_broken_json_names_file_line_and_column() -> None:
    with pytest.raises(InputError) as err:
        load_package(CASES / "broken_json")
    text = str(err.value)
    assert "datapackage.json" in text and "line 5, column 3" in text


def test_broken_yaml_names_file_and_line() -> None:
    with pytest.raises(InputError) as err:
        load_package(CASES / "broken_yaml")
    assert "datapackage.yaml" in str(err.value) and "line 5" in str(err.value)


def test_two_descriptors_are_ambiguous(make_package: Any) -> None:
    root = make_package([csv_resource()], {"reports.csv": CSV, "datapackage.yaml": "name: x\n"})
    with pytest.raises(InputError, match="more than one package descriptor"):
        load_package(root)


@pytest.mark.parametrize(
    ("descriptor", "message"),
    [
        ([1, 2], "descriptor must be an object"),
        ({"name": "x"}, "lists no resources"),
        ({"resources": []}, "lists no resources"),
        ({"resources": ["reports.csv"]}, "resource #1 must be an object"),
        ({"resources": [{"path": "reports.csv"}]}, "resource #1 has no name"),
        ({"resources": [{"name": "../x", "path": "reports.csv"}]}, "cannot be used as a file"),
        ({"resources": [{"name": "reports"}]}, "resource 'reports' has no path"),
        ({"resources": [csv_resource(), csv_resource()]}, "'reports' is used more than once"),
        (
            {"resources": [{"name": "reports", "data": [{"a": 1}]}]},
            "resource 'reports': inline data is not supported yet",
        ),
        (
            {"resources": [{"name": "reports", "path": ["a.csv", "b.csv"]}]},
            "resource 'reports': multipart resources",
        ),
        (
            {"resources": [{"name": "reports", "path": "reports.xls"}]},
            "resource 'reports': unsupported format 'xls'",
        ),
        (
            {"resources": [{"name": "reports", "path": "reports.csv", "format": "sav"}]},
            "resource 'reports': unsupported format 'sav'",
        ),
        (
            {"resources": [{"name": "reports", "path": "reports.xlsx"}]},
            "resource 'reports': the file is not a valid Excel workbook (xlsx)",
        ),
        (
            {"resources": [{"name": "reports", "path": "reports.csv", "format": "parquet"}]},
            "resource 'reports': the file is not Parquet",
        ),
        (
            {"resources": [{"name": "reports", "path": "reports.zip"}]},
            "resource 'reports': unsupported format 'zip'",
        ),
        (
            {"resources": [{"name": "reports", "path": "reports.json"}]},
            "resource 'reports': unsupported format 'json'",
        ),
    ],
)
def test_descriptor_problems_are_input_errors(
    tmp_path: Path, descriptor: object, message: str
) -> None:
    (tmp_path / "reports.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "reports.xlsx").write_bytes(b"PK")
    (tmp_path / "reports.xls").write_bytes(b"\xd0\xcf")
    (tmp_path / "reports.zip").write_bytes(b"PK")
    (tmp_path / "reports.json").write_text("{}", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_package(tmp_path)
    assert message in str(err.value)


def test_json_extension_is_geojson_when_format_says_so(make_package: Any) -> None:
    geojson = (CASES / "city" / "data" / "spielplaetze.geojson").read_text(encoding="utf-8")
    root = make_package(
        [{"name": "pts", "path": "pts.json", "format": "geojson"}], {"pts.json": geojson}
    )
    assert load_package(root).resources[0].format == "geojson"


def test_dotdot_fixture_is_refused_naming_the_resource() -> None:
    with pytest.raises(UnsafePathError) as err:
        load_package(CASES / "unsafe_dotdot")
    assert "resource 'reports': path '../city/data/haltestellen.csv' leaves the package root" in (
        str(err.value)
    )


def test_absolute_fixture_is_refused() -> None:
    with pytest.raises(UnsafePathError, match="resource 'reports': path '/etc/passwd'"):
        load_package(CASES / "unsafe_absolute")


def test_schema_path_leaving_root_is_refused(make_package: Any) -> None:
    root = make_package(
        [{"name": "reports", "path": "reports.csv", "schema": "../s.json"}], {"reports.csv": CSV}
    )
    with pytest.raises(UnsafePathError, match=re.escape("resource 'reports': path '../s.json'")):
        load_package(root)


def test_remote_fixture_refused_by_default() -> None:
    with pytest.raises(UnsafePathError, match="remote resources are not allowed"):
        load_package(CASES / "remote")


def test_remote_package_source_refused_by_default() -> None:
    with pytest.raises(UnsafePathError, match="remote"):
        load_package("https://example.org/package.zip")
    with pytest.raises(UnsafePathError, match="never allowed"):
        load_package("file:///etc/datapackage.json", allow_remote=True)


@pytest.fixture
def http_dir(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(served))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()


def test_remote_resource_downloaded_when_allowed(
    http_dir: tuple[str, Path], make_package: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base, served = http_dir
    (served / "reports.csv").write_text(CSV, encoding="utf-8")
    root = make_package([{"name": "reports", "path": f"{base}/reports.csv", "schema": SCHEMA}])
    # the test server is on loopback, which downloads refuse unless told otherwise
    monkeypatch.setattr(remote, "is_public_address", lambda ip: True)
    package = load_package(root, allow_remote=True, workdir=tmp_path / "work",
                           remote_hosts=["127.0.0.1"])
    resource = package.resources[0]
    assert resource.path is not None
    assert resource.path.is_relative_to(tmp_path / "work")
    assert resource.table().index.tolist() == [2]


def test_remote_resource_missing_on_server(
    http_dir: tuple[str, Path], make_package: Any, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_package([{"name": "reports", "path": f"{http_dir[0]}/none.csv"}])
    monkeypatch.setattr(remote, "is_public_address", lambda ip: True)
    with pytest.raises(InputError, match="HTTP 404"):
        load_package(root, allow_remote=True, workdir=tmp_path / "work",
                     remote_hosts=["127.0.0.1"])


def test_source_not_found_or_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="package not found"):
        load_package(tmp_path / "nothing")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="not a data package"):
        load_package(tmp_path / "notes.txt")
    with pytest.raises(InputError, match=r"no datapackage\.json"):
        load_package(tmp_path)


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        (
            {"kind": "latlon", "lat": "lat", "lon": "lon", "crs": "EPSG:4258"},
            GeometrySpec("latlon", "EPSG:4258", lat="lat", lon="lon"),
        ),
        ({"kind": "wkt", "column": "name"}, GeometrySpec("wkt", "EPSG:4326", column="name")),
        (False, None),
    ],
)
def test_explicit_geometry_spec(
    make_package: Any, geometry: object, expected: GeometrySpec | None
) -> None:
    root = make_package([csv_resource(geometry=geometry)], {"reports.csv": CSV})
    assert load_package(root).resources[0].geometry == expected


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ("latlon", "geometry must be an object"),
        ({"kind": "h3"}, "geometry kind 'h3' is not supported"),
        ({"kind": "native"}, "geometry kind 'native' is not supported for CSV"),
        ({"kind": "latlon", "lat": "lat"}, "needs 'lon'"),
        ({"kind": "latlon", "lat": "lat", "lon": "lat"}, "name the same column"),
        ({"kind": "wkt", "column": "shape"}, "geometry column 'shape' is not a field"),
        ({"kind": "wkt", "column": "name", "crs": "EPSG:999999"}, "unknown geometry crs"),
    ],
)
def test_invalid_geometry_spec(make_package: Any, geometry: object, message: str) -> None:
    root = make_package([csv_resource(geometry=geometry)], {"reports.csv": CSV})
    with pytest.raises(InputError) as err:
        load_package(root)
    assert "resource 'reports'" in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["ID", "LATITUDE", "Lng"], GeometrySpec("latlon", lat="LATITUDE", lon="Lng")),
        (
            ["id", "breitengrad", "laengengrad"],
            GeometrySpec("latlon", lat="breitengrad", lon="laengengrad"),
        ),
        (["id", "the_geom"], GeometrySpec("wkt", column="the_geom")),
        (["id", "WKT"], GeometrySpec("wkt", column="WKT")),
        (["id", "lat"], None),
        (["id", "name"], None),
    ],
)
def test_geometry_detected_from_schema_names(
    make_package: Any, names: list[str], expected: GeometrySpec | None
) -> None:
    schema = {"fields": [{"name": n} for n in names]}
    root = make_package(
        [{"name": "t", "path": "t.csv", "schema": schema}], {"t.csv": ",".join(names) + "\n"}
    )
    assert load_package(root).resources[0].geometry == expected


def test_geometry_detected_from_header_without_schema(make_package: Any) -> None:
    root = make_package(
        [{"name": "t", "path": "t.csv"}], {"t.csv": "id;Latitude;Longitude\n1;52.5;13.4\n"}
    )
    (root / "datapackage.json").write_text(
        json.dumps({"resources": [{"name": "t", "path": "t.csv", "dialect": {"delimiter": ";"}}]}),
        encoding="utf-8",
    )
    assert load_package(root).resources[0].geometry == GeometrySpec(
        "latlon", lat="Latitude", lon="Longitude"
    )
