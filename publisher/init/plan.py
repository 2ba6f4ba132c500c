"""The anonymisation steps a check report asks for, each with why.

From the findings of `publisher check` (blocking and warnings):

- a column whose name says it holds personal data (personal-column-names), a
  column of birth dates, coordinates in plain columns: drop-columns;
- identifiers inside free text (e-mail, phone, IBAN, tax ids, plates,
  addresses ...): redact-text on that column, with the kinds found;
- exact point positions (coordinate-precision): grid-aggregate to 100 m cells
  (IMAGI: cells of at least 100 m x 100 m are not personal), at least 3
  records per cell, smaller cells merged into 1 km and 10 km cells.

Anything else (licences, k-anonymity, extents ...) is listed as open, with
the rule's hint. The reasons name rules, resources, columns and counts only:
never a value from the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from publisher.report import Finding, Report, Severity
from publisher.rules.base import rules
from publisher.rules.personal_column_names import judge

GRID = {"resolution": 100, "min_count": 3, "merge_up": [1000, 10000]}
_JUDGED = {"direct": "a direct identifier", "unclear": "perhaps a person's name",
           "indirect": "a quasi-identifier or an address"}


@dataclass
class Step:
    type: str
    resource: str
    params: dict[str, Any]
    why: list[str]  # comment lines


@dataclass
class Plan:
    steps: list[Step] = field(default_factory=list)
    open: list[str] = field(default_factory=list)  # findings no step settles


@dataclass
class _Resource:
    drop: dict[str, str] = field(default_factory=dict)  # column -> why
    redact: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> kind -> what
    grid: str | None = None


def _where(f: Finding) -> str:
    return f.where if f.resource or f.field else "the package"


def _column_reason(f: Finding) -> str:
    assert f.field is not None
    judgement = judge(f.field)
    what = _JUDGED.get(judgement.kind, "personal data") if judgement else "personal data"
    word = f" ('{judgement.word}')" if judgement else ""
    return f"its name says it holds {what}{word}"


def _coordinate_partner(report: Report, f: Finding) -> str | None:
    stats = report.stats.get("rule_stats", {}).get(f.rule or f.type, {})
    pairs = stats.get(f.resource or "", {}).get("candidate_pairs", []) \
        if isinstance(stats, dict) else []
    return next((str(p["x"]) for p in pairs if isinstance(p, dict) and p.get("y") == f.field),
                None)


def plan_steps(report: Report) -> Plan:
    """The steps the check report's findings need, in the order they should run."""
    wanted: dict[str, _Resource] = {}
    open_items: dict[str, str] = {}
    points: dict[str, int] = {}
    for f in report.findings:
        if f.severity not in (Severity.BLOCK, Severity.WARN):
            continue
        cls = rules.get(f.type) if f.type in rules.types() else None
        kinds = getattr(cls, "kinds", None) if cls is not None else None
        entry = wanted.setdefault(f.resource or "", _Resource())
        if f.type == "personal-column-names" and f.resource and f.field:
            entry.drop.setdefault(f.field, _column_reason(f))
        elif f.type == "date-of-birth" and f.resource and f.field and f.row is None \
                and f.count is None:
            entry.drop.setdefault(f.field, "it holds dates that look like dates of birth")
        elif kinds and f.resource and f.field:
            what = str(getattr(cls, "what", f.type))
            for kind in kinds:
                entry.redact.setdefault(f.field, {})[kind] = what
        elif f.type == "coordinate-columns" and f.resource and f.field:
            partner = _coordinate_partner(report, f)
            for column in (f.field, partner):
                if column:
                    entry.drop.setdefault(column, "it holds coordinates finer than 100 m "
                                                  "(a position that can point at a person)")
        elif f.type == "coordinate-precision" and f.resource:
            points[f.resource] = points.get(f.resource, 0) + 1
            entry.grid = ("exact positions (finer than 100 m) can point at a person's home: "
                          "publish counts per 100 m cell of the INSPIRE grid (IMAGI: cells of "
                          "at least 100 m x 100 m are not personal), at least 3 per cell; "
                          "smaller cells merge into their 1 km, then 10 km cell")
        else:
            key = f"{f.rule or f.type} at {_where(f)}"
            open_items.setdefault(key, f"{key}: {f.hint or 'see publisher check'}")
    return Plan(steps=_steps(wanted), open=list(open_items.values()))


def _steps(wanted: dict[str, _Resource]) -> list[Step]:
    out: list[Step] = []
    for resource, entry in wanted.items():
        if entry.drop:
            out.append(Step("drop-columns", resource, {"columns": list(entry.drop)},
                            [f"{resource}.{c}: {why}" for c, why in entry.drop.items()]))
        redact = {c: k for c, k in entry.redact.items() if c not in entry.drop}
        if redact:
            kinds = sorted({kind for found in redact.values() for kind in found})
            why = [f"{resource}.{c}: found in the text: {', '.join(sorted(set(found.values())))}"
                   for c, found in redact.items()]
            out.append(Step("redact-text", resource, {"columns": list(redact), "kinds": kinds},
                            [*why, "redact-text replaces each one by a label such as [EMAIL]"]))
        if entry.grid:
            out.append(Step("grid-aggregate", resource, dict(GRID), [
                f"{resource}: {entry.grid}",
                'if the points are not about people (trees, stops), set "personal": false '
                "on the resource in datapackage.json and remove this step"]))
    return out
