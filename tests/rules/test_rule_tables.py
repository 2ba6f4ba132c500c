"""k-anonymity, min-cell-count, dominance and date-of-birth columns."""

import datetime as dt

import pandas as pd
import pyarrow as pa

from publisher.package.model import Package, Resource
from publisher.report import Report
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


COUNTED = {"schema": {"fields": [{"name": "cell_id"},
                                  {"name": "count", "aggregate": "count"}]}}


def test_k_anonymity_skips_aggregate_tables():
    table = pd.DataFrame({"alter": ["30", "91"], "count": ["7", "1"]})
    marked = {"schema": {"fields": [{"name": "alter"}, {"name": "count", "aggregate": "count"}]}}
    rule = KAnonymity(KAnonymityParams(quasi_identifiers=["alter"]))
    assert list(rule.check(pkg(table.copy(), marked))) == []
    # a column called count is no marker: the records are checked
    assert len(list(rule.check(pkg(table.copy())))) == 1


def test_min_cell_count_flags_small_but_not_zero_or_suppressed():
    table = pd.DataFrame({"cell_id": list("abcde"), "count": ["0", "2", "3", ".", "1"]})
    rule = MinCellCount(MinCellCountParams(min_count=3))
    rows = [f.row for f in rule.check(pkg(table.copy(), COUNTED))]
    assert rows == [3, 6]
    assert list(MinCellCount(MinCellCountParams(min_count=1)).check(pkg(table, COUNTED))) == []


def test_min_cell_count_only_on_fields_marked_as_counts():
    table = pd.DataFrame({"cell_id": list("abc"), "count": ["1", "2", "1"],
                          "anzahl": ["1", "1", "9"]})
    rule = MinCellCount(MinCellCountParams(min_count=3))
    assert list(rule.check(pkg(table.copy()))) == []  # names are no marker
    marked = {"schema": {"fields": [{"name": "cell_id"}, {"name": "count"},
                                    {"name": "anzahl", "aggregate": "count"}]}}
    assert [(f.field, f.row) for f in rule.check(pkg(table.copy(), marked))] == [
        ("anzahl", 2), ("anzahl", 3)]
    assert rule.stats["count_fields"] == ["t.anzahl"]


def test_min_cell_count_cap_names_every_count_field_with_its_total():
    table = pd.DataFrame({"a": ["1"] * 30, "b": ["2"] * 5 + ["9"] * 25})
    marked = {"schema": {"fields": [{"name": "a", "aggregate": "count"},
                                    {"name": "b", "aggregate": "count"}]}}
    rule = MinCellCount(MinCellCountParams(min_count=3, max_findings=4))
    report = Report(stage="check", findings=list(rule.check(pkg(table, marked))))
    assert {(g.field, g.occurrences) for g in report.by_column()} == {("a", 30), ("b", 5)}
    listed = [f for f in report.findings if f.row is not None]
    assert {f.field for f in listed} == {"a", "b"} and len(listed) == 4


def test_dominance_two_largest_over_85_percent():
    table = pd.DataFrame({"block": ["a"] * 3 + ["b"] * 4, "kwh": ["90", "5", "5", "30", "30",
                                                                     "20", "20"]})
    params = DominanceParams.model_validate(
        {"tables": [{"resource": "t", "by": ["block"], "value": "kwh"}]})
    findings = list(Dominance(params).check(pkg(table)))
    assert len(findings) == 1 and "95%" in findings[0].message


def test_dominance_cap_counts_the_cells_it_does_not_list():
    blocks = [f"b{i}" for i in range(5) for _ in range(2)]
    table = pd.DataFrame({"block": blocks, "kwh": ["99", "1"] * 5})
    params = DominanceParams.model_validate(
        {"tables": [{"resource": "t", "by": ["block"], "value": "kwh"}], "top": 1,
         "max_findings": 2})
    report = Report(stage="check", findings=list(Dominance(params).check(pkg(table))))
    assert [g.occurrences for g in report.by_column()] == [5]
    assert "3 more dominated cells in this column are not listed (5 in all)" in \
        report.findings[-1].message


def test_birth_date_column_but_not_inspection_dates():
    today = dt.date.today()
    births = [dt.date(1940 + i, 1 + i % 12, 1 + i % 28).isoformat() for i in range(40)]
    recent = [(today - dt.timedelta(days=30 * i)).isoformat() for i in range(40)]
    table = pd.DataFrame({"geb": births, "kontrolle": recent})
    rule = DateOfBirth(DateOfBirthParams())
    fields = [f.field for f in rule.check(pkg(table)) if f.row is None]
    assert fields == ["geb"]


def test_birth_date_columns_turned_down_by_arrow_are_those_python_turns_down(monkeypatch):
    """_maybe_birth_dates (Arrow) says no only where _looks_like_birth_dates (Python)
    does; the texts of a column it turns down are not made Python strings."""
    births = [dt.date(1940 + i, 1 + i % 12, 1 + i % 28) for i in range(40)]
    columns = {
        "iso": [d.isoformat() for d in births],
        "german": [f" {d.day}.{d.month}.{d.year}\u00a0" for d in births],
        "arabic_digits": [f"{d.day}.{d.month}.{d.year}".translate(
            str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")) for d in births],
        "blanks": [d.isoformat() if i % 2 else "\u3000\x1c" for i, d in enumerate(births)],
        "stamp": [f"{d.isoformat()}T12:00:00" for d in births],
        "text": [f"Meldung vom {d.day}.{d.month}.{d.year}" for d in births],
        "mixed": [d.isoformat() if i < 35 else "unbekannt" for i, d in enumerate(births)],
    }
    rule = DateOfBirth(DateOfBirthParams())
    for name, cells in columns.items():
        exact = rule._looks_like_birth_dates(pd.Series(cells, dtype="string"))
        quick = rule._maybe_birth_dates(pa.array(cells, pa.string()))
        assert quick or not exact, name
    assert not rule._maybe_birth_dates(pa.array(columns["stamp"], pa.string()))
    assert not rule._maybe_birth_dates(pa.array(columns["mixed"], pa.string()))

    judged: list[str] = []
    real = DateOfBirth._looks_like_birth_dates
    monkeypatch.setattr(DateOfBirth, "_looks_like_birth_dates",
                        lambda self, values: judged.append(values.iloc[0]) or real(self, values))
    table = pd.DataFrame({"geb": columns["iso"], "stamp": columns["stamp"]})
    fields = [f.field for f in rule.check(pkg(table)) if f.row is None]
    assert fields == ["geb"] and judged == [columns["iso"][0]]
