import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from publisher.masking import mask
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.report import Report, Severity
from publisher.rules._identifiers import IdentifierParams
from publisher.rules.base import rules
from publisher.rules.email_in_text import EmailInText

CASES = Path(__file__).parent.parent / "cases" / "rules"
ADDRESSES = ["anna.meier@example.de", "k.schulz(at)stadt-musterstadt(dot)de",
             "X.Y+tag@Sub.Example.ORG"]


def free_text() -> pd.DataFrame:
    table = pd.read_csv(CASES / "free-text.csv", dtype=str, keep_default_na=False)
    table.index = pd.RangeIndex(2, len(table) + 2)  # frictionless row numbers
    return table


def package(*resources: Resource) -> Package:
    return Package(root=CASES, descriptor={"name": "p"}, resources=list(resources))


def run(pkg: Package, **params: object) -> tuple[EmailInText, Report]:
    rule = EmailInText(IdentifierParams.model_validate(params))
    report = Report(stage="check", findings=list(rule.check(pkg)))
    return rule, report


def test_registered_under_its_type():
    assert rules.get("email-in-text") is EmailInText


def test_addresses_found_with_row_field_and_masked_sample():
    res = Resource(name="defects", format="csv", descriptor={"name": "defects"},
                   data=free_text())
    rule, report = run(package(res))
    where = [(f.resource, f.row, f.field) for f in report.findings]
    assert where == [("defects", 3, "beschreibung"), ("defects", 8, "beschreibung"),
                     ("defects", 6, "hinweis")]
    first = report.findings[0]
    assert first.sample == mask("anna.meier@example.de")
    assert first.severity is Severity.BLOCK
    assert first.rule == "email-in-text"
    assert first.hint is not None and "redact-text" in first.hint and "drop-columns" in first.hint
    assert rule.stats == {"cells": 3,
                          "by_field": {"defects.beschreibung": 2, "defects.hinweis": 1}}


def test_no_raw_address_or_cell_text_in_report_json():
    res = Resource(name="defects", format="csv", descriptor={"name": "defects"},
                   data=free_text())
    _, report = run(package(res))
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    for address in ADDRESSES:
        assert address not in text
        assert address.split("@")[0].split("(")[0] not in text  # not even the local part
    assert "Sperrmüll" not in text


def test_look_alikes_are_not_flagged():
    table = pd.DataFrame({"t": ["a @ b", "user@localhost", "name@intranet", "3@5.00",
                                "@stadtverwaltung", "foo@bar.c", "look at example.com",
                                "x@-bad-.de"]},
                         index=range(2, 10))
    res = Resource(name="r", format="csv", descriptor={"name": "r"}, data=table)
    rule, report = run(package(res))
    assert report.findings == []
    assert rule.stats["cells"] == 0


def test_address_spelled_out_with_at_and_dot_is_flagged():
    # "mail at example dot de" was a look-alike here until issue 16 named it a disguise
    table = pd.DataFrame({"t": ["mail at example dot de", "look at example.com"]},
                         index=range(2, 4))
    res = Resource(name="r", format="csv", descriptor={"name": "r"}, data=table)
    _, report = run(package(res))
    assert [(f.row, f.field, f.sample) for f in report.findings] == [
        (2, "t", mask("mail at example dot de"))]


def test_only_named_columns_are_scanned():
    res = Resource(name="defects", format="csv", descriptor={"name": "defects"},
                   data=free_text())
    _, report = run(package(res), columns=["hinweis"])
    assert [(f.row, f.field) for f in report.findings] == [(6, "hinweis")]


def test_named_columns_missing_everywhere_warn():
    res = Resource(name="defects", format="csv", descriptor={"name": "defects"},
                   data=free_text())
    _, report = run(package(res), columns=["bemerkung"])
    (finding,) = report.findings
    assert finding.severity is Severity.WARN
    assert "bemerkung" in finding.message


def test_geometry_and_non_text_columns_are_skipped():
    table = gpd.GeoDataFrame(
        {"note": ["schreib an max@example.org", "nichts"], "n": [1, 2]},
        geometry=[Point(7.6, 51.9), Point(7.7, 51.95)], crs="EPSG:4326", index=[1, 2])
    res = Resource(name="points", format="geojson", descriptor={"name": "points"},
                   geometry=GeometrySpec(kind="native"), data=table)
    _, report = run(package(res))
    assert [(f.row, f.field) for f in report.findings] == [(1, "note")]


def test_listed_findings_are_capped_but_stats_count_all():
    table = pd.DataFrame({"t": [f"nutzer{i}@example.de" for i in range(5)]},
                         index=range(2, 7))
    res = Resource(name="r", format="csv", descriptor={"name": "r"}, data=table)
    rule, report = run(package(res), max_findings=2)
    assert [f.row for f in report.findings] == [2, 3, None]
    assert "3 more" in report.findings[-1].message
    assert report.findings[-1].severity is Severity.BLOCK
    assert rule.stats["cells"] == 5


def test_multiple_resources_each_named():
    one = Resource(name="one", format="csv", descriptor={"name": "one"},
                   data=pd.DataFrame({"t": ["info@stadt.de"]}, index=[2]))
    two = Resource(name="two", format="csv", descriptor={"name": "two"},
                   data=pd.DataFrame({"u": ["x", "y", "presse@stadt.at"]}, index=[2, 3, 4]))
    _, report = run(package(one, two))
    assert [(f.resource, f.row, f.field) for f in report.findings] == [
        ("one", 2, "t"), ("two", 4, "u")]
