"""Rules name the steps that fix their findings by step id; every id is a step."""

from __future__ import annotations

from publisher.report import Severity
from publisher.rules import personal_column_names as pcn
from publisher.rules.base import Rule, RuleParams, fix_hint, rules
from publisher.rules.min_cell_count import MinCellCount
from publisher.steps.base import steps


def unknown_steps(fixes: tuple[str, ...]) -> list[str]:
    return [f for f in fixes if f not in steps.types()]


def declared_fixes() -> dict[str, tuple[str, ...]]:
    """Every rule's fixes, and those of the column-name tables."""
    out = {t: rules.get(t).fixes for t in rules.types()}
    for name, table in (("direct", pcn.DIRECT_NAMES), ("indirect", pcn.INDIRECT_NAMES)):
        for word, fixes in table.items():
            out[f"personal-column-names {name} {word}"] = fixes
    out["personal-column-names DROP"] = pcn.DROP
    return out


def test_every_declared_fix_is_a_registered_step() -> None:
    assert {where: unknown_steps(f) for where, f in declared_fixes().items()
            if unknown_steps(f)} == {}


def test_a_made_up_step_id_is_caught() -> None:
    class Made(Rule[RuleParams]):
        type = "made-up-fix"
        fixes = ("generalise", "drop-columns")
        fix_how = "coarsen it"

        def check(self, package):  # type: ignore[no-untyped-def]
            return []

    assert unknown_steps(Made.fixes) == ["generalise"]
    assert Made.hint == "coarsen it (steps: generalise, drop-columns)"


def test_rules_that_a_step_fixes_name_it() -> None:
    fixable = {"min-cell-count", "k-anonymity", "residual-uniqueness", "coordinate-precision",
               "email-in-text", "phone-in-text", "date-of-birth", "dominance"}
    assert all(rules.get(t).fixes for t in fixable)


def test_the_hint_is_built_from_the_step_ids() -> None:
    assert MinCellCount.hint is not None
    assert MinCellCount.hint.endswith(
        "(steps: suppress-small-cells, grid-aggregate, aggregate-areas)")
    finding = MinCellCount(MinCellCount.Params()).finding("small", resource="r")
    assert finding.hint == MinCellCount.hint and finding.severity is Severity.BLOCK
    assert fix_hint("", ("drop-columns",)) == "steps: drop-columns"
    judgement = pcn.judge("geburtsdatum")
    assert judgement is not None and judgement.fixes == ("truncate-datetime", "drop-columns")
