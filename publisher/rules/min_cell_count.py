"""min-cell-count: no published cell counts fewer than the minimum (RULES.md section 3).

Applies to aggregate tables, found by their count column (`count_fields`).
Default minimum 3 (the usual German rule); a policy for special categories of
personal data (GDPR Art. 9) or social-benefit data sets 5. Zeros may stay
(the cell key method keeps zeros), and "." marks a suppressed cell.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from pydantic import Field

from publisher.package.batches import iter_batches
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules._tables import COUNT_FIELDS, count_field
from publisher.rules.base import Rule, RuleParams, rules


class MinCellCountParams(RuleParams):
    min_count: int = Field(3, ge=1)
    count_fields: list[str] = Field(default_factory=lambda: list(COUNT_FIELDS))
    max_findings: int = Field(100, ge=1)


@rules.register
class MinCellCount(Rule):
    type = "min-cell-count"
    Params = MinCellCountParams
    default_severity = Severity.BLOCK
    hint = ("suppress small cells with suppress-small-cells, or aggregate to larger cells "
            "(grid-aggregate with a coarser resolution, aggregate-areas)")

    def check(self, package: Package) -> Iterable[Finding]:
        assert isinstance(self.params, MinCellCountParams)
        minimum = self.params.min_count
        stats: dict[str, int] = {}
        findings: list[Finding] = []
        for resource in package.resources:
            column = count_field(resource, self.params.count_fields)
            if column is None:
                continue
            small_total = 0
            for batch in iter_batches(resource, [column]):
                values = pd.to_numeric(batch.columns[column].to_pandas(), errors="coerce")
                small = ((values > 0) & (values < minimum)).to_numpy()
                small_total += int(small.sum())
                for position in np.flatnonzero(small):
                    if len(findings) >= self.params.max_findings:
                        break
                    findings.append(self.finding(
                        f"a cell counts {int(values.iloc[position])}, fewer than "
                        f"{minimum}", resource=resource.name, field=column,
                        row=int(batch.rows[position])))
            stats[resource.name] = small_total
        listed = len(findings)
        total = sum(stats.values())
        if total > listed:
            findings.append(self.finding(f"{total - listed} more small cells are not listed"))
        self.stats = {"small_cells": stats}
        return findings
