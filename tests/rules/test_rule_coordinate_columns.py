"""coordinate-columns: coordinate pairs in plain columns (RULES.md section 2)."""

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from pydantic import ValidationError
from shapely.geometry import Point

from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules.base import rules
from publisher.rules.coordinate_columns import CoordinateColumns, CoordinateColumnsParams
from publisher.rules.policy import check_package, load_policy

CASES = Path(__file__).parent.parent / "cases" / "rules" / "coordinates"
LAT = ["51.33971", "51.34012", "51.35234"]  # Leipzig, 5 decimals: about 1 m
LON = ["12.37472", "12.38015", "12.39177"]


def table(**columns: list[Any]) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    return pd.DataFrame(columns, index=range(2, n + 2))


def package(data: pd.DataFrame, descriptor: dict[str, Any] | None = None) -> Package:
    res = Resource(name="t", format="csv", descriptor={"name": "t", **(descriptor or {})},
                   data=data)
    return Package(root=Path("."), descriptor={"name": "p"}, resources=[res])


def check(pkg: Package, **params: Any) -> list[Finding]:
    return list(CoordinateColumns(CoordinateColumnsParams(**params)).check(pkg))


def test_registered_under_its_type():
    assert rules.get("coordinate-columns") is CoordinateColumns


# --- positives -------------------------------------------------------------

def test_lat_lon_columns_in_a_plain_table():
    pkg = package(table(id=["1", "2", "3"], lat=LAT, lon=LON, status=["a", "b", "c"]))
    (finding,) = check(pkg)
    assert finding.rule == "coordinate-columns" and finding.resource == "t"
    assert finding.field == "lat" and finding.row == 2
    assert "'lat' and 'lon'" in finding.message and "EPSG:4326" in finding.message
    assert "by their names" in finding.message and "3 of 3 points" in finding.message
    assert finding.severity is Severity.WARN  # undeclared
    assert finding.sample is not None and "51.33971" not in finding.sample
    assert finding.hint is not None and "drop-columns" in finding.hint


def test_severity_follows_whether_the_resource_is_personal():
    data = table(lat=LAT, lon=LON)
    (personal,) = check(package(data, {"personal": True}))
    assert personal.severity is Severity.BLOCK and "counts as personal" in personal.message
    (trees,) = check(package(data), non_personal_resources=["t"])
    assert trees.severity is Severity.INFO


@pytest.mark.parametrize(("y", "x", "ys", "xs"), [
    ("Breitengrad", "Laengengrad", ["51,33971", "51,3401", "51,35234"],
     ["12,37472", "12,38015", "12,39177"]),  # German names, decimal comma
    ("geo_breite", "geo_länge", LAT, LON),
    ("latitude", "longitude", LAT, LON),
    ("Y_KOORDINATE", "X_KOORDINATE", LAT, LON),
])
def test_names_in_german_and_english(y: str, x: str, ys: list[str], xs: list[str]):
    (finding,) = check(package(table(**{y: ys, "name_of_place": ["a", "b", "c"], x: xs})))
    assert finding.field == y and f"'{x}'" in finding.message


def test_projected_eastings_and_northings_from_a_streamed_csv():
    resource = Resource(name="reports", format="csv", path=CASES / "utm-reports.csv",
                        descriptor={"name": "reports", "path": "utm-reports.csv",
                                    "dialect": {"delimiter": ";"}, "personal": True})
    pkg = Package(root=CASES, descriptor={"name": "p"}, resources=[resource])
    (finding,) = check(pkg)
    assert resource.data is None  # streamed in batches, never loaded whole
    assert finding.severity is Severity.BLOCK
    assert finding.field == "hochwert" and "'rechtswert'" in finding.message
    assert "northing/easting" in finding.message
    assert "EPSG:25832 or EPSG:25833" in finding.message
    # rows 2, 3 and 5 are on a 1 km grid; the record in file row 4 is given to 1 cm
    assert finding.row == 4 and "1 of 4 points" in finding.message
    assert "1 cm" in finding.message


def test_eastings_with_the_zone_number_in_front():
    pkg = package(table(rw=["33317012.3", "33317450.8", "33318001.1"],
                        hw=["5690012.7", "5690400.2", "5691003.9"]))
    (finding,) = check(pkg)
    assert "EPSG:5650" in finding.message and "EPSG:25833" not in finding.message


def test_two_neighbouring_columns_in_range_without_names():
    pkg = package(table(nummer=["1", "2", "3"], a=LAT, b=LON, c=["x", "y", "z"]))
    (finding,) = check(pkg)
    assert finding.field == "a" and "neighbouring columns" in finding.message
    utm = package(table(wert_1=["5690012", "5690400", "5691003"],
                        wert_2=["317012", "317450", "318001"]))
    (projected,) = check(utm)
    assert projected.field == "wert_1" and "EPSG:25832 or EPSG:25833" in projected.message


def test_coordinate_columns_beside_a_geometry():
    frame = gpd.GeoDataFrame({"lat": LAT, "lon": LON},
                             geometry=[Point(12.4, 51.3)] * 3, crs="EPSG:4326")
    frame.index = pd.RangeIndex(1, 4)
    res = Resource(name="g", format="geojson", descriptor={"name": "g"}, data=frame)
    (finding,) = check(Package(root=Path("."), descriptor={"name": "p"}, resources=[res]))
    assert finding.resource == "g" and finding.row == 1


def test_two_pairs_with_a_common_stem():
    pkg = package(table(start_lat=LAT, start_lon=LON, ziel_lat=LAT[::-1], ziel_lon=LON[::-1]))
    found = check(pkg)
    assert sorted((f.field, f.message.split("'")[3]) for f in found) == [
        ("start_lat", "start_lon"), ("ziel_lat", "ziel_lon")]


# --- look-alikes -----------------------------------------------------------

def test_prices_and_counts_in_the_degree_range_are_not_coordinates():
    # neighbours in the lat and lon ranges, but prices (cents) and counts: coarse
    pkg = package(table(preis=["49.99", "52.50", "47.10"], menge=["7", "12", "16"]))
    assert check(pkg) == []
    # one fine column in the latitude range alone is no pair
    assert check(package(table(kurs=LAT, bezeichnung=["a", "b", "c"]))) == []


def test_a_count_in_the_northing_range_alone_is_not_a_coordinate():
    pkg = package(table(einwohner=["5690012", "5690400", "5691003"],
                        flaeche_km2=["12.5", "13.25", "11.75"]))
    assert check(pkg) == []


def test_in_range_columns_that_are_neither_named_nor_neighbours():
    pkg = package(table(gewicht=LAT, kategorie=["a", "b", "c"], laenge_cm=LON))
    assert check(pkg) == []


def test_named_columns_outside_the_area_are_not_coordinates():
    # x/y positions on a plan, in pixels
    pkg = package(table(x=["120.25", "340.5", "80.125"], y=["45.5", "12.25", "99.875"]))
    assert check(pkg) == []


def test_coarse_coordinates_and_text_columns_are_not_flagged():
    coarse = package(table(lat=["51.34", "51.35", "51.36"], lon=["12.37", "12.38", "12.39"]))
    assert check(coarse) == []  # 0.01 degree is about 1 km
    mixed = package(table(lat=["bei der Kirche", "51.34012", "unbekannt"], lon=LON))
    assert check(mixed) == []


def test_params_ignore_columns_and_change_the_limit():
    data = table(lat=LAT, lon=LON)
    assert check(package(data), ignore=["lat"]) == []
    coarse = package(table(lat=["51.34", "51.35", "51.36"], lon=["12.37", "12.38", "12.39"]))
    assert len(check(coarse, min_resolution_m=5000)) == 1
    with pytest.raises(ValidationError):
        CoordinateColumnsParams(extent=[17.2, 46.3, 5.8, 55.1])


def test_shipped_policies_run_the_rule():
    pkg = package(table(lat=LAT, lon=LON), {"personal": True})
    for policy in ("de-open-data", "at-ogd"):
        report = check_package(load_policy(policy), pkg)
        found = [f for f in report.findings if f.rule == "coordinate-columns"]
        assert [f.severity for f in found] == [Severity.BLOCK], policy
