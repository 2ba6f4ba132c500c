"""min-cell-count: no published cell counts fewer than the minimum (RULES.md section 3).

Applies only to published aggregates: the fields marked
`"aggregate": "count"` in the Table Schema (publisher.package.aggregates), by
the package or by the step that made the counts (grid-aggregate,
aggregate-areas). A column is never taken for a count because of its name: an
hourly bicycle `count` is a measurement, not a cell of people. Default minimum
3 (the usual German rule); a policy for special categories of personal data
(GDPR Art. 9) or social-benefit data sets 5. Zeros may stay (the cell key
method keeps zeros), and "." marks a suppressed cell.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from pydantic import Field

from publisher.package.aggregates import count_fields
from publisher.package.batches import iter_batches
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules._listing import more_message, spread
from publisher.rules.base import Rule, RuleParams, rules


class MinCellCountParams(RuleParams):
    min_count: int = Field(3, ge=1, description="Smallest count a published cell may hold "
                                                "(zeros and '.' excepted).")
    max_findings: int = Field(100, ge=1, description="Findings listed in all, shared out over "
                                                     "the count fields; the rest are counted.")


@rules.register
class MinCellCount(Rule[MinCellCountParams]):
    type = "min-cell-count"
    example = """\
- id: min-cell-count
  type: min-cell-count
  severity: block
  params:
    min_count: 5  # special categories of personal data (GDPR Art. 9)
"""
    default_severity = Severity.BLOCK
    fixes = ("suppress-small-cells", "grid-aggregate", "aggregate-areas")
    fix_how = "suppress small cells, or aggregate to larger cells or areas"

    def check(self, package: Package) -> Iterable[Finding]:
        minimum, keep = self.params.min_count, self.params.max_findings
        # (resource, field) -> small cells in all, and the first `keep` (row, count)
        small: dict[tuple[str, str], tuple[int, list[tuple[int, int]]]] = {}
        for resource in package.resources:
            for column in count_fields(resource):
                total = 0
                examples: list[tuple[int, int]] = []
                for batch in iter_batches(resource, [column]):
                    values = pd.to_numeric(batch.columns[column].to_pandas(), errors="coerce")
                    hits = np.flatnonzero(((values > 0) & (values < minimum)).to_numpy())
                    total += len(hits)
                    examples += [(int(batch.rows[i]), int(values.iloc[i]))
                                 for i in hits[:max(keep - len(examples), 0)]]
                small[(resource.name, column)] = (total, examples)
        found = [(key, total, examples) for key, (total, examples) in small.items() if total]
        findings: list[Finding] = []
        shown = spread([len(examples) for _, _, examples in found], keep)
        for ((resource_name, column), total, examples), n in zip(found, shown, strict=True):
            findings += [self.finding(f"a cell counts {value}, fewer than {minimum}",
                                      resource=resource_name, field=column, row=row)
                         for row, value in examples[:n]]
            if total > n:
                findings.append(self.finding(more_message(total - n, total, "small cells"),
                                             resource=resource_name, field=column,
                                             count=total - n))
        self.stats = {"count_fields": [f"{r}.{c}" for r, c in small],
                      "small_cells": {f"{r}.{c}": total for (r, c), (total, _) in small.items()}}
        return findings
