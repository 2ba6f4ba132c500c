"""residual-uniqueness: the share of records unique on the quasi-identifiers, as data."""

import pandas as pd

from publisher.package.model import Package, Resource
from publisher.report import Severity
from publisher.rules.policy import check_package, load_policy
from publisher.rules.residual_uniqueness import ResidualUniqueness, ResidualUniquenessParams


def pkg(table: pd.DataFrame, fields: list[dict[str, object]] | None = None) -> Package:
    table.index = pd.RangeIndex(2, len(table) + 2)
    descriptor = {"name": "t", **({"schema": {"fields": fields}} if fields else {})}
    res = Resource(name="t", format="csv", descriptor=descriptor, data=table)
    return Package(root=".", descriptor={"name": "p"}, resources=[res])


def _people(unique: int) -> pd.DataFrame:
    common = [("30-34", "w")] * 10 + [("35-39", "m")] * 10
    rare = [(f"{90 + i}", "d") for i in range(unique)]
    return pd.DataFrame(common + rare, columns=["alter", "geschlecht"])


def rule(**params: object) -> ResidualUniqueness:
    return ResidualUniqueness(ResidualUniquenessParams.model_validate(
        {"quasi_identifiers": ["alter", "geschlecht"], **params}))


def test_above_the_threshold_warns_with_the_share_and_where():
    check = rule()
    (finding,) = check.check(pkg(_people(5)))
    assert finding.severity is Severity.WARN
    assert finding.message.startswith("20.0% of the records (5 of 25) are unique on "
                                      "alter, geschlecht")
    assert finding.field == "alter, geschlecht" and finding.resource == "t"
    assert check.stats["resources"]["t"]["unique_share"] == 0.2


def test_at_or_below_it_the_figure_is_still_reported_as_info():
    (finding,) = rule(max_unique_share=0.2).check(pkg(_people(5)))
    assert finding.severity is Severity.INFO and finding.hint is None
    (finding,) = rule().check(pkg(_people(0)))
    assert finding.severity is Severity.INFO and "0.0%" in finding.message


def test_marked_quasi_identifiers_and_aggregates():
    table = pd.DataFrame({"plz5": ["04109"] * 3 + ["04229"]})
    marked = [{"name": "plz5", "quasiIdentifier": True}]
    (finding,) = rule(quasi_identifiers=[]).check(pkg(table, marked))
    assert finding.severity is Severity.WARN and "1 of 4" in finding.message
    cells = pd.DataFrame({"cell": list("abcd"), "n": ["1", "5", "1", "."]})
    counted = [{"name": "cell"}, {"name": "n", "aggregate": "count"}]
    (finding,) = rule().check(pkg(cells, counted))
    assert "2 of 7" in finding.message and finding.field == "n"
    assert list(rule().check(pkg(pd.DataFrame({"x": ["a"]})))) == []  # nothing to measure


def test_shipped_policies_run_it_as_a_warning():
    for name in ("de-open-data", "at-ogd"):
        report = check_package(load_policy(name), pkg(_people(5)))
        found = [f for f in report.findings if f.rule == "residual-uniqueness"]
        assert [f.severity for f in found] == [Severity.WARN]
