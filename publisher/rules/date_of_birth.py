"""date-of-birth: birth dates in text, and columns of plausible birth dates (RULES.md section 1).

In text, a date counts only with its context: "geb.", "geboren am",
"Geburtsdatum", "date of birth", "born" ("Termin am 12.03.1980" is no birth
date). A whole column counts when nearly all its values are full dates
(day, month, year) of people alive: most of them between `min_age` and
`max_age` years ago and spread over at least `min_spread_years`, which
inspection or commissioning dates (all recent) are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
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
# RE2 (Arrow) patterns that agree with Python's re where they say so, so that
# Python reads only the cells they cannot settle: every cell _FULL_DATE matches
# in Python matches _MAYBE_DATE (_BLANK holds every character Python's \s
# matches, and a digit, whatever Unicode calls one, is neither "-" nor "."),
# and every cell _ASCII_DATE matches, _FULL_DATE matches too.
_BLANK = r"[\t-\r\x1c-\x20\x85\p{Z}]"
_MAYBE_DATE = (rf"^{_BLANK}*(?:[^-.]{{4}}-[^-.]{{2}}-[^-.]{{2}}|[^-.]{{1,2}}\.[^-.]{{1,2}}\."
               rf"[^-.]{{4}}){_BLANK}*$")
_ASCII_DATE = (r"^[\t\n\x0b\x0c\r ]*(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}\.[0-9]{1,2}\."
               r"[0-9]{4})[\t\n\x0b\x0c\r ]*$")


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
                and self._looks_like_birth_dates(array.cast(pa.string()))]

    def _looks_like_birth_dates(self, text: pa.Array) -> bool:
        """Whether nearly all non-blank cells are full dates (_FULL_DATE, as Python's
        re reads it) of people alive, spread over the years. Arrow decides each cell
        it can (RE2 patterns sure to agree with Python's); Python reads only the rest."""
        maybe = _matches(text, _MAYBE_DATE)
        # blank as pandas' str.strip reads a cell of Arrow-held text: Arrow's trim
        trimmed = pc.utf8_length(pc.utf8_trim_whitespace(text))
        count = int(pc.sum(pc.fill_null(pc.greater(trimmed, 0), False)).as_py() or 0)
        if count < self.params.min_values or maybe.sum() < self.params.min_share * count:
            return False
        sure = _matches(text, _ASCII_DATE)
        full_date = re.compile(_FULL_DATE)
        sure |= _python(text, maybe & ~sure, lambda cell: full_date.match(cell) is not None)
        if sure.sum() < self.params.min_share * count:
            return False
        full = pd.Series(text.filter(pa.array(sure)).to_pylist(), dtype="string")
        iso = pd.to_datetime(full, format="%Y-%m-%d", errors="coerce")
        german = pd.to_datetime(full, format="%d.%m.%Y", errors="coerce")
        dates = iso.fillna(german).dropna()
        if len(dates) < self.params.min_share * count:
            return False
        today = pd.Timestamp.today().normalize()
        age = (today - dates).dt.days / 365.25
        alive = age.between(self.params.min_age, self.params.max_age).mean()
        spread = (dates.max() - dates.min()).days / 365.25
        return bool(alive >= self.params.min_share and spread >= self.params.min_spread_years)


def _matches(text: pa.Array, pattern: str) -> npt.NDArray[np.bool_]:
    """Per cell, whether RE2 finds the pattern in it (False for a missing value)."""
    found = pc.fill_null(pc.match_substring_regex(text, pattern), False)
    return np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)


def _python(text: pa.Array, cells: npt.NDArray[np.bool_],
            test: Callable[[str], bool]) -> npt.NDArray[np.bool_]:
    """The test made in Python on the chosen cells; False for the others."""
    out = np.zeros(len(text), dtype=bool)
    chosen = np.flatnonzero(cells)
    if chosen.size:
        out[chosen] = [test(cell) for cell in text.take(pa.array(chosen)).to_pylist()]
    return out


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
