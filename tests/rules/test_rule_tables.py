"""k-anonymity, min-cell-count, dominance and date-of-birth columns."""

import datetime as dt

import pandas as pd

from publisher.package.model import Package, Resource
from publisher.rules.date_of_birth import DateOfBirth, DateOfBirthParams
from publisher.rules.dominance import Dominance, DominanceParams
from publisher.rules.k_anonymity import KAnonymity, KAnonymityParams
from publisher.rules.min_cell_count import MinCellCount, MinCellCountParams


def pkg(table, descriptor=None) -> Package:
    table.index = pd.RangeIndex(2, len(table) + 2)
    res = Resource(name="t", format="csv", descriptor={"name": "t", **(descriptor or {})},
                   data=table)
    return Package(root=".", descriptor={"name": "p"}, resources=[res])


def test_k_anonymity_counts_small_classes_over_named_and_marked_columns():
    table = pd.DataFrame({"alter": ["30"] * 5 + ["91"], "sex": ["w"] * 6, "x": list("abcdef")})
    rule = KAnonymity(KAnonymityParams(k=5, quasi_identifiers=["Alter"]))
    (finding,) = rule.check(pkg(table.copy()))
    assert "1 records" in finding.message and finding.field == "alter"
    assert "91" not in (finding.sample or "")
    marked = {"schema": {"fields": [{"name": "sex", "quasiIdentifier": True}]}}
    rule = KAnonymity(KAnonymityParams(k=5, quasi_identifiers=["alter"]))
    (finding,) = rule.check(pkg(table.copy(), marked))
    assert finding.field == "alter, sex"
    assert list(KAnonymity(KAnonymityParams(k=5, quasi_identifiers=["sex"]))
                .check(pkg(table.copy()))) == []


def test_k_anonymity_skips_aggregate_tables():
    table = pd.DataFrame({"alter": ["30", "91"], "count": ["7", "1"]})
    assert list(KAnonymity(KAnonymityParams(quasi_identifiers=["alter"])).check(pkg(table))) == []


def test_min_cell_count_flags_small_but_not_zero_or_suppressed():
    table = pd.DataFrame({"cell_id": list("abcde"), "count": ["0", "2", "3", ".", "1"]})
    rule = MinCellCount(MinCellCountParams(min_count=3))
    rows = [f.row for f in rule.check(pkg(table))]
    assert rows == [3, 6]
    assert list(MinCellCount(MinCellCountParams(min_count=1)).check(pkg(table))) == []


def test_dominance_two_largest_over_85_percent():
    table = pd.DataFrame({"block": ["a"] * 3 + ["b"] * 4, "kwh": ["90", "5", "5", "30", "30",
                                                                     "20", "20"]})
    params = DominanceParams.model_validate(
        {"tables": [{"resource": "t", "by": ["block"], "value": "kwh"}]})
    findings = list(Dominance(params).check(pkg(table)))
    assert len(findings) == 1 and "95%" in findings[0].message


def test_birth_date_column_but_not_inspection_dates():
    today = dt.date.today()
    births = [dt.date(1940 + i, 1 + i % 12, 1 + i % 28).isoformat() for i in range(40)]
    recent = [(today - dt.timedelta(days=30 * i)).isoformat() for i in range(40)]
    table = pd.DataFrame({"geb": births, "kontrolle": recent})
    rule = DateOfBirth(DateOfBirthParams())
    fields = [f.field for f in rule.check(pkg(table)) if f.row is None]
    assert fields == ["geb"]
