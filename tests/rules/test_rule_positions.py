"""coordinates-in-text, and a `"personal": false` declaration against evidence (issue 24)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from publisher.package.model import GeometrySpec, Package, Resource
from publisher.report import Severity
from publisher.resources import policy_path
from publisher.rules.coordinate_columns import CoordinateColumns, CoordinateColumnsParams
from publisher.rules.coordinate_precision import CoordinatePrecision, CoordinatePrecisionParams
from publisher.rules.coordinates_in_text import CoordinatesInText, CoordinatesInTextParams
from publisher.rules.policy import check_package, load_policy


def table(**columns: list[str]) -> Resource:
    frame = pd.DataFrame(columns, dtype="str")
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return Resource(name="r", format="csv", descriptor={"name": "r"}, data=frame)


def geo(descriptor: dict[str, object] | None = None, **columns: list[str]) -> Resource:
    frame = gpd.GeoDataFrame(columns or {"kategorie": ["Laterne"]},
                             geometry=[Point(12.3816943, 51.3379712)], crs="EPSG:4326")
    frame.index = pd.RangeIndex(1, 2)
    return Resource(name="r", format="geojson", descriptor={"name": "r", **(descriptor or {})},
                    geometry=GeometrySpec(kind="native"), data=frame)


def package(*resources: Resource, **descriptor: object) -> Package:
    return Package(root=".", descriptor={"name": "p", **descriptor}, resources=list(resources))


def in_text(pkg: Package) -> list:
    return list(CoordinatesInText(CoordinatesInTextParams()).check(pkg))


@pytest.mark.parametrize("cell", [
    "51.3379712 12.3816943", "gemeldet bei 51.3379712, 12.3816943 gestern",
    "(12.3816943/51.3379712)", "51,3379712; 12,3816943",
    "51.3379712\u2009 12.3816943",  # thin space
    "５１.３３７９７１２ １２.３８１６９４３",  # fullwidth digits
])
def test_exact_positions_in_any_text_column_are_found(cell: str) -> None:
    (finding,) = in_text(package(table(hinweis=["Laterne defekt", cell])))
    assert finding.severity is Severity.BLOCK
    assert (finding.field, finding.row, finding.count) == ("hinweis", 3, 1)
    assert "3379712" not in (finding.sample or "") and "3379712" not in finding.message


@pytest.mark.parametrize("cell", [
    "51.34 12.38",  # coarse
    "Preis 12.3456789 EUR",  # one number
    "151.3379712 112.3816943",  # out of range
    "-33.8688197 151.2092955",  # outside the extent looked at
    "Version 10.12345 20.54321",  # not a place in the extent
])
def test_other_numbers_are_not_positions(cell: str) -> None:
    assert in_text(package(table(hinweis=[cell]))) == []


def test_a_declared_non_personal_package_does_not_lower_positions_in_text() -> None:
    pkg = package(table(notiz=["51.3379712 12.3816943"]), personal=False)
    assert [f.severity for f in in_text(pkg)] == [Severity.BLOCK]


def test_both_shipped_policies_block_positions_in_text() -> None:
    for name in ("de-open-data", "at-ogd"):
        pkg = package(table(notiz=["Melder stand bei 47.0707123 15.4395123"]))
        report = check_package(load_policy(policy_path(name)), pkg)
        assert any(f.type == "coordinates-in-text" and f.severity is Severity.BLOCK
                   for f in report.findings), name


def precision(pkg: Package) -> list:
    return list(CoordinatePrecision(CoordinatePrecisionParams()).check(pkg))


def test_personal_false_lowers_only_without_evidence() -> None:
    (plain,) = precision(package(geo({"personal": False})))
    assert plain.severity is Severity.INFO and "overridden" not in plain.message


@pytest.mark.parametrize(("columns", "why"), [
    ({"hinweis": ["Rückruf unter 0176 47637096"]}, "phone values"),
    ({"melder_email": ["x"]}, "named for a direct identifier"),
    ({"notiz": ["51.3379713 12.3816944"]}, "exact positions written as text"),
])
def test_personal_false_against_evidence_keeps_the_severity_and_says_why(
        columns: dict[str, list[str]], why: str) -> None:
    for pkg in (package(geo({"personal": False}, **columns)),
                package(geo(None, **columns), personal=False)):
        (finding,) = precision(pkg)
        assert finding.severity is Severity.BLOCK
        assert '"personal": false' in finding.message and "overridden" in finding.message
        assert why in finding.message


def test_a_street_address_does_not_override_a_declaration() -> None:
    (finding,) = precision(package(geo({"personal": False}, standort=["Hauptstraße 12"])))
    assert finding.severity is Severity.INFO


def test_coordinate_columns_say_the_declaration_was_overridden() -> None:
    res = table(lat=["51.3379712"], lon=["12.3816943"], telefon_melder=["x"])
    (finding,) = CoordinateColumns(CoordinateColumnsParams()).check(package(res, personal=False))
    assert finding.severity is Severity.BLOCK and "overridden" in finding.message
