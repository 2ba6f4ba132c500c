"""dominance: in a value table, no cell where the largest contributors dominate
(RULES.md section 3: suppress a cell where the two largest contributors make
up more than 85 %).

Needs the record-level data the cells are summed from: each entry of `tables`
names the resource, the columns that form a cell (`by`), the value column and,
optionally, the contributor column (default: each record is a contributor).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from publisher.errors import SpecError
from publisher.masking import mask
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules._listing import more_message
from publisher.rules.base import Rule, RuleParams, rules


class ValueTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource: str = Field(description="The record-level resource the cells are summed from.")
    by: list[str] = Field(min_length=1, description="The columns that form a cell.")
    value: str = Field(description="The value column that is summed.")
    contributor: str | None = Field(None, description="The column naming the contributor; "
                                                      "default: each record is one.")


class DominanceParams(RuleParams):
    tables: list[ValueTable] = Field(default_factory=list,
                                    description="The value tables to check; none: the rule "
                                                "checks nothing.")
    top: int = Field(2, ge=1, description="How many of the largest contributors are summed.")
    share: float = Field(0.85, gt=0, lt=1,
                         description="A cell where they make up more than this share of its "
                                     "total is dominated.")
    max_findings: int = Field(100, ge=1, description="Findings listed; the rest are counted.")


@rules.register
class Dominance(Rule[DominanceParams]):
    type = "dominance"
    example = """\
- id: dominance
  type: dominance
  severity: block
  params:
    top: 2
    share: 0.85
    tables:
      - {resource: energy, by: [block_id], value: kwh, contributor: building_id}
"""
    default_severity = Severity.BLOCK
    fixes = ("suppress-small-cells", "aggregate-areas")
    fix_how = "suppress the dominated cells, or merge them with neighbours"

    def check(self, package: Package) -> Iterable[Finding]:
        p = self.params
        stats: dict[str, int] = {}
        for spec in p.tables:
            resource = package.resource(spec.resource)
            dominated = self.passes.dominated(resource, spec, p.top, p.share)
            if dominated is None:
                data = resource.table()
                missing = [c for c in needed_columns(spec) if c not in data.columns]
                if missing:
                    raise SpecError(f"dominance: column(s) {', '.join(missing)} not in the "
                                    "data", where=spec.resource)
                frame = value_frame(data, spec)
                if spec.contributor:
                    frame = contributor_sums(frame, spec)
                dominated = dominated_shares(frame, spec, p.top, p.share)
            stats[spec.resource] = len(dominated)
            for key, share in list(dominated.items())[:p.max_findings]:
                parts = key if isinstance(key, tuple) else (key,)
                yield self.finding(
                    f"the {p.top} largest contributors make up {share:.0%} of the cell "
                    f"(more than {p.share:.0%})", resource=spec.resource,
                    field=", ".join(spec.by), sample=mask(" | ".join(map(str, parts))))
            if len(dominated) > p.max_findings:
                rest = len(dominated) - p.max_findings
                yield self.finding(more_message(rest, len(dominated), "dominated cells"),
                                   resource=spec.resource, field=", ".join(spec.by),
                                   count=rest)
        self.stats = {"dominated_cells": stats}


def needed_columns(spec: ValueTable) -> list[str]:
    return [*spec.by, spec.value, *([spec.contributor] if spec.contributor else [])]


def value_frame(data: pd.DataFrame, spec: ValueTable) -> pd.DataFrame:
    """The columns of a value table, the value as a number (0 where it is none)."""
    frame = pd.DataFrame({c: data[c] for c in needed_columns(spec)})
    frame[spec.value] = pd.to_numeric(frame[spec.value], errors="coerce").fillna(0)
    return frame


def contributor_sums(frame: pd.DataFrame, spec: ValueTable) -> pd.DataFrame:
    """The value summed per cell and contributor (sorted by them)."""
    assert spec.contributor is not None
    return pd.DataFrame(frame.groupby([*spec.by, spec.contributor], dropna=False,
                                      as_index=False)[spec.value].sum())


def dominated_shares(frame: pd.DataFrame, spec: ValueTable, top: int, share: float,
                     totals: pd.Series | None = None) -> pd.Series:
    """The share of the `top` largest contributions of each dominated cell, cells in
    order of their largest contribution (ties: the earlier record first). `totals`:
    each cell's sum when `frame` holds only some of its contributions (the largest)."""
    ordered = frame.sort_values(spec.value, ascending=False, kind="stable")
    grouped = ordered.groupby(spec.by, dropna=False, sort=False)[spec.value]
    largest = grouped.head(top).groupby([ordered[b] for b in spec.by], dropna=False,
                                        sort=False).sum()
    sums = grouped.sum() if totals is None else totals.reindex(largest.index)
    shares = largest / sums
    return shares[(shares > share) & sums.gt(0)]
