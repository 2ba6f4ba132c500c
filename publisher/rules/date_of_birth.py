"""date-of-birth: birth dates in text, and columns of plausible birth dates (RULES.md section 1).

In text, a date counts only with its context: "geb.", "geboren am",
"Geburtsdatum", "date of birth", "born" ("Termin am 12.03.1980" is no birth
date). A whole column counts when nearly all its values are full dates
(day, month, year) of people alive: most of them between `min_age` and
`max_age` years ago and spread over at least `min_spread_years`, which
inspection or commissioning dates (all recent) are not.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from publisher.package.batches import BATCH_ROWS, Batch, iter_batches
from publisher.package.model import Package, Resource
from publisher.report import Finding
from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules._shared import BatchPass, result_of
from publisher.rules.base import rules

_FULL_DATE = r"^\s*(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\s*$"
# RE2 (Arrow) patterns that bound the Python judgement from outside, so a column is
# turned down without a Python string per cell: every cell _FULL_DATE matches in
# Python matches _MAYBE_DATE (a digit, whatever Unicode calls one, is neither "-"
# nor "."; a blank is none of those nor an ASCII digit), and every cell
# _NOT_BLANK matches is left by str.strip (no letter or digit is a blank).
_MAYBE_DATE = (r"^[^-.0-9]*(?:[^-.]{4}-[^-.]{2}-[^-.]{2}|[^-.]{1,2}\.[^-.]{1,2}\.[^-.]{4})"
               r"[^-.0-9]*$")
_NOT_BLANK = r"[!-~\p{L}\p{N}]"


class DateOfBirthParams(IdentifierParams):
    min_share: float = Field(0.9, gt=0, le=1,
                             description="A column: share of its non-empty values that must "
                                         "be full dates of people alive.")
    min_values: int = Field(20, ge=1, description="A column: fewest non-empty values it needs "
                                                  "to be judged.")
    min_age: int = Field(14, ge=0, description="A column: youngest age (years) a birth date "
                                               "gives.")
    max_age: int = Field(100, ge=1, description="A column: oldest age (years) a birth date "
                                                "gives.")
    min_spread_years: int = Field(10, ge=0, description="A column: the dates spread over at "
                                                        "least this many years.")
    sample_rows: int = Field(65_536, ge=100, description="A column is judged on its first "
                                                         "rows only: how many.")


@rules.register
class DateOfBirth(IdentifierRule[DateOfBirthParams]):
    type = "date-of-birth"
    example = """\
- id: date-of-birth
  type: date-of-birth
  severity: block
  params:
    min_age: 14
    max_age: 100
"""
    kinds = ("date-of-birth",)
    what = "a date of birth"

    fixes = ("redact-text", "truncate-datetime", "drop-columns")
    fix_how = ("replace dates of birth in text (kinds: date-of-birth); cut a birth date "
               "column to the year, or drop it")

    def check(self, package: Package) -> Iterable[Finding]:
        findings = list(super().check(package))
        columns: list[str] = []
        for resource in package.resources:
            for name in result_of(resource, _BirthDateColumns(self)):
                columns.append(f"{resource.name}.{name}")
                findings.append(self.finding(
                    "the column holds dates that look like dates of birth (full dates, "
                    "spread over the ages of living people)", resource=resource.name,
                    field=name))
        self.stats["birth_date_columns"] = columns
        return findings

    def batch_passes(self, resource: Resource) -> list[BatchPass[Any]]:
        if self.params.sample_rows != BATCH_ROWS:  # not the first batch of a shared read
            return []
        return [_BirthDateColumns(self)]

    def birth_date_columns(self, batch: Batch) -> list[str]:
        """The columns of a resource's first rows that look like birth dates."""
        return [name for name, array in batch.columns.items()
                if (self.params.columns is None or name in self.params.columns)
                and self._maybe_birth_dates(array)
                and self._looks_like_birth_dates(pd.Series(array.to_pylist(), dtype="string"))]

    def _maybe_birth_dates(self, array: pa.Array) -> bool:
        """False where _looks_like_birth_dates is sure to say so: fewer cells that may
        be full dates than `min_share` of the cells that are surely not blank."""
        text = array.cast(pa.string())
        maybe = pc.sum(pc.fill_null(pc.match_substring_regex(text, _MAYBE_DATE), False))
        filled = pc.sum(pc.fill_null(pc.match_substring_regex(text, _NOT_BLANK), False))
        return bool((maybe.as_py() or 0) >= self.params.min_share * (filled.as_py() or 0))

    def _looks_like_birth_dates(self, values: pd.Series) -> bool:
        text = values.dropna()
        text = text[text.str.strip() != ""]
        if len(text) < self.params.min_values:
            return False
        full = text[text.str.match(_FULL_DATE)]
        if len(full) < self.params.min_share * len(text):
            return False
        iso = pd.to_datetime(full, format="%Y-%m-%d", errors="coerce")
        german = pd.to_datetime(full, format="%d.%m.%Y", errors="coerce")
        dates = iso.fillna(german).dropna()
        if len(dates) < self.params.min_share * len(text):
            return False
        today = pd.Timestamp.today().normalize()
        age = (today - dates).dt.days / 365.25
        alive = age.between(self.params.min_age, self.params.max_age).mean()
        spread = (dates.max() - dates.min()).days / 365.25
        return bool(alive >= self.params.min_share and spread >= self.params.min_spread_years)


class _BirthDateColumns(BatchPass[list[str]]):
    """The rule's judgement of the columns, on the first `sample_rows` records."""

    def __init__(self, rule: DateOfBirth) -> None:
        self.rule = rule
        self.columns: list[str] | None = None

    @property
    def key(self) -> Hashable:
        return ("birth-date-columns", self.rule.params.model_dump_json())

    def add(self, batch: Batch) -> None:
        if self.columns is None:
            self.columns = self.rule.birth_date_columns(batch)

    def result(self) -> list[str]:
        return self.columns or []

    def run(self, resource: Resource) -> list[str]:
        batch = next(iter_batches(resource, batch_rows=self.rule.params.sample_rows), None)
        return [] if batch is None else self.rule.birth_date_columns(batch)
