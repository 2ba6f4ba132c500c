"""redact-text: direct identifiers inside free text replaced by a label
([EMAIL], [PHONE], [IBAN], ...), found and confirmed by the same detectors as
the policy engine (publisher.detect; RULES.md section 1), so a text the step
leaves is a text the re-check passes for those kinds.

`columns` names the text columns (default: every text column); `kinds` the
identifier kinds (default: all); `labels` may rename a kind's label.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from pydantic import Field, field_validator

from publisher.detect import KINDS, detect, redact
from publisher.package.model import Package, Resource
from publisher.steps._derived import columns_by_resource, mark_derived
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
    table = resource.table()
    geometry = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
    return [str(c) for c in table.columns if c != geometry and
            (pd.api.types.is_object_dtype(table[c].dtype) or
             isinstance(table[c].dtype, pd.StringDtype))]


@steps.register
class RedactText(Step[RedactTextParams]):
    type = "redact-text"
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
        found: dict[str, int] = {}
        cells = 0
        per_column: dict[str, int] = {}
        for resource, columns in targets:
            table = resource.table()
            changed = {}
            for column in columns:
                matches = detect(table[column], p.kinds)
                if matches.empty:
                    continue
                for kind, n in matches["kind"].value_counts().items():
                    found[str(kind)] = found.get(str(kind), 0) + int(n)
                hit_cells = int(matches["row"].nunique())
                cells += hit_cells
                per_column[f"{resource.name}.{column}"] = hit_cells
                changed[column] = redact(table[column], p.kinds, p.labels or None)
            if changed:
                out = table.copy()
                for column, values in changed.items():
                    out[column] = values
                resource.data = out
                mark_derived(resource)
        return StepOutcome(stats={"identifiers_redacted": dict(sorted(found.items())),
                                  "cells_redacted": cells, "by_column": per_column})
