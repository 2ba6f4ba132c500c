"""The shipped sample packages: reproducible, valid, and worth demonstrating on."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import shutil
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import frictionless
import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "pipelines" / "samples"
TABLES = ROOT / "schemas" / "tables"
PACKAGES = ("charging-points", "defect-reports", "tree-cadastre")
EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
PHONE = re.compile(r"(?:\+49 |0)\d{3}[ /]\d{5,8}")
EXAMPLE_DOMAINS = {"example.de", "example.org", "musterstadt.example", "mail.example.de"}
# Musterstadt's extent (WGS84).
LAT_RANGE, LON_RANGE = (51.30, 51.38), (12.30, 12.45)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sample_generator", SAMPLES / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _descriptor(package: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SAMPLES / package / "datapackage.json").read_text("utf-8"))
    return loaded


def _defect_rows() -> list[dict[str, str]]:
    with (SAMPLES / "defect-reports" / "reports.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    assert _generator().main(["--out", str(out)]) == 0
    return out


def test_generator_writes_exactly_the_sample_packages(generated: Path) -> None:
    assert sorted(p.name for p in generated.iterdir()) == list(PACKAGES)


@pytest.mark.parametrize("package", PACKAGES)
def test_generator_reproduces_committed_files_byte_for_byte(generated: Path, package: str) -> None:
    made, committed = _files(generated / package), _files(SAMPLES / package)
    assert made == committed
    assert made
    for rel in made:
        same = (generated / package / rel).read_bytes() == (SAMPLES / package / rel).read_bytes()
        assert same, f"{package}/{rel} differs: run pipelines/samples/generate.py and commit"


@pytest.mark.parametrize("package", PACKAGES)
def test_inline_schema_is_the_shipped_table_schema(package: str) -> None:
    shipped = json.loads((TABLES / f"{package}.json").read_text("utf-8"))
    [resource] = _descriptor(package)["resources"]
    assert resource["schema"] == shipped


@pytest.mark.parametrize("package", PACKAGES)
def test_sample_package_is_valid_frictionless(package: str) -> None:
    report = frictionless.validate(str(SAMPLES / package / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_check_would_catch_a_broken_sample(tmp_path: Path) -> None:
    copy = tmp_path / "defect-reports"
    shutil.copytree(SAMPLES / "defect-reports", copy)
    rows = _defect_rows()
    rows[2]["status"] = "vergessen"  # the third record is frictionless row 4
    with (copy / "reports.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert report.flatten(["rowNumber", "fieldName", "type"]) == [[4, "status", "constraint-error"]]


def test_licences_name_open_definition_id_with_spdx_beside() -> None:
    dl_de_by = {
        "name": "OGL-DE-BY-2.0",
        "path": "https://www.govdata.de/dl-de/by-2-0",
        "title": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "spdx": "DL-DE-BY-2.0",
    }
    assert _descriptor("defect-reports")["licenses"] == [dl_de_by]
    assert _descriptor("tree-cadastre")["licenses"] == [dl_de_by]
    [cc_by] = _descriptor("charging-points")["licenses"]
    assert (cc_by["name"], cc_by["spdx"]) == ("CC-BY-4.0", "CC-BY-4.0")
    for package in PACKAGES:
        assert _descriptor(package)["sources"]


def test_defect_reports_declare_latlon_geometry() -> None:
    descriptor = _descriptor("defect-reports")
    assert (descriptor["name"], descriptor["title"]) == (
        "defect-reports",
        "Mängelmelder Musterstadt",
    )
    [resource] = descriptor["resources"]
    assert (resource["name"], resource["path"]) == ("reports", "reports.csv")
    assert resource["geometry"] == {
        "kind": "latlon",
        "lat": "lat",
        "lon": "lon",
        "crs": "EPSG:4326",
    }


def test_defect_descriptions_hold_emails_and_phone_numbers() -> None:
    rows = _defect_rows()
    assert 550 <= len(rows) <= 650
    found = [EMAIL.search(r["description"]) for r in rows]
    with_email = [m.group(1) for m in found if m]
    assert 0.25 <= len(with_email) / len(rows) <= 0.45
    assert set(with_email) <= EXAMPLE_DOMAINS
    assert sum(bool(PHONE.search(r["description"])) for r in rows) >= 20
    reporter_domains = {r["reporter_email"].split("@")[1] for r in rows if r["reporter_email"]}
    assert reporter_domains <= EXAMPLE_DOMAINS
    anonymous = [r for r in rows if not r["reporter_name"]]
    assert anonymous
    assert all(not r["reporter_email"] for r in anonymous)


def test_defect_positions_are_exact_and_cluster_into_100m_cells() -> None:
    rows = _defect_rows()
    assert all(re.fullmatch(r"\d+\.\d{6}", r[c]) for r in rows for c in ("lat", "lon"))
    lat = [float(r["lat"]) for r in rows]
    lon = [float(r["lon"]) for r in rows]
    assert LAT_RANGE[0] < min(lat) and max(lat) < LAT_RANGE[1]
    assert LON_RANGE[0] < min(lon) and max(lon) < LON_RANGE[1]
    x, y = Transformer.from_crs(4326, 3035, always_xy=True).transform(lon, lat)
    cells = Counter((int(e // 100), int(n // 100)) for e, n in zip(x, y, strict=True))
    assert sum(1 for c in cells.values() if c >= 3) >= 30
    assert sum(1 for c in cells.values() if c < 3) >= 30


def test_tree_geojson_is_an_rfc7946_point_collection() -> None:
    data = json.loads((SAMPLES / "tree-cadastre" / "trees.geojson").read_text("utf-8"))
    assert data["type"] == "FeatureCollection"
    assert "crs" not in data
    features = data["features"]
    assert 250 <= len(features) <= 350
    for feature in features:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert LON_RANGE[0] < lon < LON_RANGE[1] and LAT_RANGE[0] < lat < LAT_RANGE[1]
        assert lon == round(lon, 6) and lat == round(lat, 6)
    frame = gpd.read_file(SAMPLES / "tree-cadastre" / "trees.geojson")
    assert frame.crs.to_epsg() == 4326
    assert len(frame) == len(features) and frame.is_valid.all()


def test_tree_properties_match_their_schema() -> None:
    [resource] = _descriptor("tree-cadastre")["resources"]
    assert resource["geometry"] == {"kind": "native", "crs": "EPSG:4326"}
    names = [f["name"] for f in resource["schema"]["fields"]]
    data = json.loads((SAMPLES / "tree-cadastre" / "trees.geojson").read_text("utf-8"))
    rows = [[f["properties"][n] for n in names] for f in data["features"]]
    assert all(list(f["properties"]) == names for f in data["features"])
    table = frictionless.Resource(
        data=[names, *rows], schema=frictionless.Schema.from_descriptor(resource["schema"])
    )
    report = frictionless.validate(table)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_charging_points_wkt_lies_in_the_city_in_epsg_25833() -> None:
    [resource] = _descriptor("charging-points")["resources"]
    assert resource["geometry"] == {"kind": "wkt", "column": "wkt", "crs": "EPSG:25833"}
    path = SAMPLES / "charging-points" / "charging-points.csv"
    with path.open(encoding="utf-8", newline="") as f:
        points = shapely.from_wkt([r["wkt"] for r in csv.DictReader(f)])
    assert len(points) >= 50
    assert set(shapely.get_type_id(points)) == {0}  # all points
    lon, lat = Transformer.from_crs(25833, 4326, always_xy=True).transform(
        shapely.get_x(points), shapely.get_y(points)
    )
    assert LON_RANGE[0] < min(lon) and max(lon) < LON_RANGE[1]
    assert LAT_RANGE[0] < min(lat) and max(lat) < LAT_RANGE[1]
