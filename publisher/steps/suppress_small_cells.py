"""suppress-small-cells: counts below the minimum are not published (RULES.md
section 3: minimum cell count 3, 5 for special categories); suppressed cells
read '.'.

Secondary suppression: a count table is a set of linear equations, one per
line (the cells that share every dimension value but one, with the line's
total). A line with exactly one suppressed entry gives that entry away by
subtraction, so another entry of the line is suppressed too, the smallest
non-zero count first, until no line holds exactly one. Total rows in the table
are recognised by `total` (e.g. 'Insgesamt') in a dimension column; without
total rows, every line's total is taken as published elsewhere. Each round is
one vectorised pass per dimension; rounds repeat until nothing changes.
"""

from __future__ import annotations

from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import Field

from publisher.anonymity import class_ids
from publisher.errors import SpecError
from publisher.package.aggregates import mark_count
from publisher.package.model import Package, Resource
from publisher.params import THRESHOLD
from publisher.steps._derived import dimension_columns, mark_derived, require_columns
from publisher.steps._generalise import numbers
from publisher.steps.base import Step, StepOutcome, StepParams, steps

SUPPRESSED_CELL = "."


class SuppressSmallCellsParams(StepParams):
    count: str = Field("count", description="The column of counts.")
    dimensions: list[str] | None = Field(
        None, description="The columns that name a cell; default: every other column.")
    min_count: Annotated[int, THRESHOLD] = Field(
        3, ge=1, description="Counts below it are suppressed ('.').")
    suppress_zero: bool = Field(False, description="Suppress zeros too.")
    secondary: bool = Field(True, description="Suppress further cells so that no suppressed "
                                              "count can be worked out from a line's total.")
    total: str | None = Field(None, description="The value that marks total rows in a "
                                                "dimension column, e.g. 'Insgesamt'.")


def secondary_suppression(table: pd.DataFrame, dimensions: list[str], counts: np.ndarray,
                          suppressed: np.ndarray) -> tuple[np.ndarray, int]:
    """Grow `suppressed` until no line holds exactly one suppressed entry; the number
    of lines that could not be protected (a line of one cell whose total is published)."""
    suppressed = suppressed.copy()
    lines = [class_ids(table, [d for d in dimensions if d != dim]) for dim in dimensions]
    position = np.arange(len(table))
    # Prefer non-zero cells (a suppressed zero hides nothing), then the smallest.
    order = np.lexsort((position, counts, counts == 0))
    lonely = 0
    for _ in range(len(table) + 1):
        changed = False
        lonely = 0
        for line in lines:
            per_line = np.bincount(line, weights=suppressed.astype(np.int64))
            size = np.bincount(line)
            exposed = (per_line == 1)[line]
            lonely += int(((per_line == 1) & (size == 1)).sum())
            candidates = order[(exposed & ~suppressed)[order]]
            if len(candidates) == 0:
                continue
            _, first = np.unique(line[candidates], return_index=True)
            suppressed[candidates[first]] = True
            changed = True
        if not changed:
            break
    return suppressed, lonely


@steps.register
class SuppressSmallCells(Step[SuppressSmallCellsParams]):
    type = "suppress-small-cells"
    example = """\
- type: suppress-small-cells
  resource: households
  count: anzahl
  dimensions: [bezirk, haushaltsgroesse]
  min_count: 3
  total: Insgesamt
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        stats: dict[str, Any] = {
            "min_count": p.min_count, "cells": 0, "cells_suppressed_primary": 0,
            "cells_suppressed_secondary": 0, "cells_suppressed": 0, "resources": {}}
        outcome = StepOutcome(stats=stats)
        for resource in package.select(p.resource):
            if p.count not in resource.table().columns:
                if p.resource is not None:
                    require_columns(resource, [p.count], self.type)
                continue
            figures = self._suppress(resource)
            stats["resources"][resource.name] = figures
            for key in ("cells", "cells_suppressed_primary", "cells_suppressed_secondary",
                        "cells_suppressed"):
                stats[key] += figures[key]
            if figures["lonely_lines"]:
                outcome.notes.append(
                    f"{resource.name}: {figures['lonely_lines']} line(s) of a single "
                    "suppressed cell: do not publish their totals")
        if not stats["resources"]:
            raise SpecError(f"{self.type}: no selected resource has a column '{p.count}'",
                            where=p.resource or package.source)
        published = [f["smallest_published"] for f in stats["resources"].values()
                     if f["smallest_published"] is not None]
        stats["smallest_published"] = min(published) if published else None
        return outcome

    def _suppress(self, resource: Resource) -> dict[str, int | None]:
        p = self.params
        table = resource.table()
        dims = dimension_columns(resource, p.count, p.dimensions, self.type)
        raw = numbers(table[p.count], p.count, resource.name)
        counts = raw.fillna(0).to_numpy()
        primary = (counts < p.min_count) & ((counts > 0) | p.suppress_zero)
        suppressed, lonely = primary, 0
        if p.secondary and dims:
            suppressed, lonely = secondary_suppression(table, dims, counts, primary)
        out = table.copy()
        text = pd.Series(counts, index=table.index).astype("int64").astype("string")
        out[p.count] = text.mask(suppressed, SUPPRESSED_CELL).where(raw.notna())
        resource.data = out
        _mark_schema(resource, p.count)
        kept = counts[~suppressed & (counts > 0)]
        return {"cells": len(table), "cells_suppressed_primary": int(primary.sum()),
                "cells_suppressed_secondary": int((suppressed & ~primary).sum()),
                "cells_suppressed": int(suppressed.sum()), "lonely_lines": lonely,
                "smallest_published": int(kept.min()) if len(kept) else None}


def _mark_schema(resource: Resource, count: str) -> None:
    schema = resource.schema
    if schema:
        missing = list(schema.get("missingValues", [""]))
        if SUPPRESSED_CELL not in missing:
            schema["missingValues"] = [*missing, SUPPRESSED_CELL]
        for spec in schema.get("fields", []):
            if spec.get("name") == count:
                mark_count(spec)  # the re-check's min-cell-count verifies the suppression
                spec.setdefault("type", "integer")
                spec.get("constraints", {}).pop("minimum", None)
                spec.get("constraints", {}).pop("required", None)
                note = "'.' = suppressed (small cell or secondary suppression)"
                if note not in str(spec.get("description", "")):
                    spec["description"] = f"{spec.get('description', '')} ({note})".strip()
    mark_derived(resource)
