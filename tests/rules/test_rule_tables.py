"""k-anonymity, min-cell-count, dominance and date-of-birth columns."""

import datetime as dt
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from publisher.package.model import Package, Resource
from publisher.report import Report
from publisher.rules import date_of_birth
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


def _reference(params: DateOfBirthParams, values: pd.Series) -> bool:
    """The rule's judgement of a column as it was written for pandas strings."""
    text = values.dropna()
    text = text[text.str.strip() != ""]
    if len(text) < params.min_values:
        return False
    full = text[text.str.match(r"^\s*(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s*$")]
    if len(full) < params.min_share * len(text):
        return False
    iso = pd.to_datetime(full, format="%Y-%m-%d", errors="coerce")
    german = pd.to_datetime(full, format="%d.%m.%Y", errors="coerce")
    dates = iso.fillna(german).dropna()
    if len(dates) < params.min_share * len(text):
        return False
    age = (pd.Timestamp.today().normalize() - dates).dt.days / 365.25
    alive = age.between(params.min_age, params.max_age).mean()
    spread = (dates.max() - dates.min()).days / 365.25
    return bool(alive >= params.min_share and spread >= params.min_spread_years)


def test_birth_date_columns_judged_in_arrow_as_in_python(monkeypatch):
    """Arrow settles the cells it can and Python reads the rest: the verdicts of the
    judgement written for pandas strings, and no Python string for a text column."""
    births = [dt.date(1940 + i, 1 + i % 12, 1 + i % 28) for i in range(40)]
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    columns = {
        "iso": [d.isoformat() for d in births],
        "german": [f"{d.day}.{d.month}.{d.year}" for d in births],
        "german_blanks": [f" {d.day}.{d.month}.{d.year}\u00a0" for d in births],
        "arabic_digits": [f"{d.day}.{d.month}.{d.year}".translate(arabic) for d in births],
        "arabic_iso": [d.isoformat().translate(arabic) for d in births],
        "blanks": [d.isoformat() if i % 2 else "\u3000\x1c" for i, d in enumerate(births)],
        "blank_line": [f"{d.isoformat()}\n" if i % 3 else " \n" for i, d in enumerate(births)],
        "nulls": [d.isoformat() if i % 4 else None for i, d in enumerate(births)],
        "stamp": [f"{d.isoformat()}T12:00:00" for d in births],
        "text": [f"Meldung vom {d.day}.{d.month}.{d.year}" for d in births],
        "mixed": [d.isoformat() if i < 35 else "unbekannt" for i, d in enumerate(births)],
        "invalid": [f"{d.year}-13-{d.day:02d}" for d in births],
        "recent": [(dt.date.today() - dt.timedelta(days=30 * i)).isoformat() for i in range(40)],
        "few": [d.isoformat() for d in births[:10]],
    }
    params = DateOfBirthParams()
    rule = DateOfBirth(params)
    verdicts = {name: rule._looks_like_birth_dates(pa.array(cells, pa.string()))
                for name, cells in columns.items()}
    assert verdicts == {name: _reference(params, pd.Series(cells, dtype="string"))
                        for name, cells in columns.items()}
    assert {name for name, yes in verdicts.items() if yes} >= {"iso", "german", "blanks",
                                                               "nulls"}

    blanks = [chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c))]
    assert pc.all(pc.match_substring_regex(pa.array(blanks), f"^{date_of_birth._BLANK}$")).as_py()

    read: list[int] = []
    real = date_of_birth._python
    monkeypatch.setattr(date_of_birth, "_python",
                        lambda text, cells, test: read.append(int(cells.sum()))
                        or real(text, cells, test))
    for name in ("iso", "stamp", "text"):
        rule._looks_like_birth_dates(pa.array(columns[name], pa.string()))
    assert read == [0]  # iso: every cell settled by Arrow; the others turned down first
