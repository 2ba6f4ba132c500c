"""redact-text: direct identifiers inside free text replaced by a label
([EMAIL], [PHONE], [IBAN], ...), found and confirmed by the same detectors as
the policy engine (publisher.detect; RULES.md section 1), so a text the step
leaves is a text the re-check passes for those kinds.

`columns` names the text columns (default: every text column); `kinds` the
identifier kinds (default: all); `labels` may rename a kind's label.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from pydantic import Field, field_validator

from publisher.detect import KINDS, detect, redact
from publisher.package.model import Package, Resource
from publisher.steps._derived import column_names, columns_by_resource, unread_columns
from publisher.steps._stream import after, rewrite
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class RedactTextParams(StepParams):
    columns: list[str] | None = Field(None, min_length=1,
                                      description="The text columns; default: every text "
                                                  "column.")
    kinds: list[str] | None = Field(None, min_length=1,
                                    description="The identifier kinds to redact (email, phone, "
                                                "iban, ...); default: all.")
    labels: dict[str, str] = Field(default_factory=dict,
                                   description="Other labels by kind, e.g. {email: '[E-MAIL]'}; "
                                               "default: [EMAIL], [PHONE], ...")

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, kinds: list[str] | None) -> list[str] | None:
        unknown = [k for k in kinds or [] if k not in KINDS]
        if unknown:
            raise ValueError(f"unknown identifier kind(s) {', '.join(unknown)}; "
                             f"known: {', '.join(sorted(KINDS))}")
        return kinds

    @field_validator("labels")
    @classmethod
    def _known_labels(cls, labels: dict[str, str]) -> dict[str, str]:
        unknown = [k for k in labels if k not in KINDS]
        if unknown:
            raise ValueError(f"labels for unknown kind(s) {', '.join(unknown)}")
        return labels


def text_columns(resource: Resource) -> list[str]:
    if unread_columns(resource) is not None:  # every column of a CSV file is text
        return [c for c in column_names(resource) if c != "geometry"]
    table = resource.table()
    geometry = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
    return [str(c) for c in table.columns if c != geometry and
            (pd.api.types.is_object_dtype(table[c].dtype) or
             isinstance(table[c].dtype, pd.StringDtype))]


@dataclass
class _Found:
    """What the changes found (publisher.steps._stream.Tally): identifiers by kind,
    cells changed by resource.column."""

    kinds: dict[str, int] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)

    def reset(self) -> None:
        self.kinds.clear()
        self.cells.clear()

    def merge(self, other: _Found) -> None:
        for mine, theirs in ((self.kinds, other.kinds), (self.cells, other.cells)):
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n


@steps.register
class RedactText(Step[RedactTextParams]):
    type = "redact-text"
    row_wise = True
    example = """\
- type: redact-text
  resource: reports
  columns: [description]
  kinds: [email, phone, iban]
  labels: {email: "[E-MAIL]"}
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        if p.columns is None:
            targets = [(r, text_columns(r)) for r in package.select(p.resource)]
        else:
            targets = columns_by_resource(package, p.resource, p.columns, self.type)
        tally = _Found()
        found, per_column = tally.kinds, tally.cells
        outcome = StepOutcome()
        for resource, columns in targets:
            def change(table: pd.DataFrame, resource: Resource = resource,
                       columns: list[str] = columns) -> pd.DataFrame:
                found, per_column = tally.kinds, tally.cells  # a copy's, on a worker
                changed = {}
                for column in columns:
                    matches = detect(table[column], p.kinds)
                    if matches.empty:
                        continue
                    for kind, n in matches["kind"].value_counts().items():
                        found[str(kind)] = found.get(str(kind), 0) + int(n)
                    where = f"{resource.name}.{column}"
                    per_column[where] = per_column.get(where, 0) + int(matches["row"].nunique())
                    changed[column] = redact(table[column], p.kinds, p.labels or None)
                if not changed:
                    return table
                out = table.copy()
                for column, values in changed.items():
                    out[column] = values
                return out

            def changed(resource: Resource = resource, columns: list[str] = columns) -> bool:
                return any(f"{resource.name}.{c}" in per_column for c in columns)

            rewrite(resource, change, self.context, changed=changed, tally=tally,
                    geometry=False)

        def count() -> None:  # once every change ran
            # in the order of the columns, whichever batch found something first
            by_column = {f"{r.name}.{c}": per_column[f"{r.name}.{c}"] for r, columns in targets
                         for c in columns if f"{r.name}.{c}" in per_column}
            outcome.stats.update({"identifiers_redacted": dict(sorted(found.items())),
                                  "cells_redacted": sum(by_column.values()),
                                  "by_column": by_column})

        after(self.context, count)
        return outcome
