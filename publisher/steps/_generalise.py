"""Generalisation kernels shared by the generalising steps and k-anonymise.

Each takes a column as read (text cells) and returns text labels, vectorised;
missing cells stay missing. Levels of a hierarchy: 0 keeps the value, 1..n
apply the hierarchy's levels in turn, n+1 replaces every value by `*`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from publisher.errors import InputError

SUPPRESSED = "*"
DatetimeUnit = Literal["minute", "hour", "day", "month", "year"]
_FORMATS: dict[str, str] = {"minute": "%Y-%m-%dT%H:%M:00", "hour": "%Y-%m-%dT%H:00:00",
                            "day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
# The Table Schema type a truncated date or time has.
DATETIME_TYPES = {"minute": "datetime", "hour": "datetime", "day": "date",
                  "month": "yearmonth", "year": "year"}


def _missing(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype("string").str.strip() == "")


def numbers(values: pd.Series, column: str, where: str) -> pd.Series:
    """Text cells as floats; a non-empty cell that is not a number is an input error."""
    parsed = pd.to_numeric(values.where(~_missing(values)), errors="coerce")
    bad = parsed.isna() & ~_missing(values)
    if bad.any():
        raise InputError(f"column '{column}' holds {int(bad.sum())} value(s) that are not "
                         f"numbers (first in row {values.index[bad][0]})", where=where)
    return parsed.astype("float64")


def integral_values(chunks: Iterable[pd.Series], width: float, origin: float,
                    column: str = "", where: str = "") -> bool:
    """Whether bands of `width` from `origin` over every value of a column (given in
    chunks) read `lo-hi`: integer bands over integer values only."""
    if not (float(width).is_integer() and float(origin).is_integer()):
        return False
    return all(bool(((numbers(values, column, where).dropna() % 1) == 0).all())
               for values in chunks)


def band(values: pd.Series, width: float, *, origin: float = 0.0, top: float | None = None,
         column: str = "", where: str = "", integral: bool | None = None) -> pd.Series:
    """Numeric bands of `width` from `origin`: 23 -> '20-24' (width 5, integers),
    23.5 -> '20-<25' otherwise; values at or above `top` -> '90+'. INTEGRAL, when
    the values are a part of a column, says which for the whole column."""
    x = numbers(values, column, where)
    lo = np.floor((x - origin) / width) * width + origin
    if integral is None:
        integral = integral_values([values], width, origin, column, where)
    if integral:
        lo_text = lo.astype("Int64").astype("string")
        labels = lo_text + "-" + (lo + width - 1).astype("Int64").astype("string")
    else:
        labels = _num_text(lo) + "-<" + _num_text(lo + width)
    if top is not None:
        labels = labels.mask(x >= top, f"{_num_text(pd.Series([top])).iloc[0]}+")
    out: pd.Series = labels.where(x.notna()).astype("string")
    return out


def _num_text(values: pd.Series) -> pd.Series:
    text: pd.Series = values.astype("string").str.replace(r"\.0$", "", regex=True)
    return text


def truncate_datetime(values: pd.Series, unit: str, *, column: str = "",
                      where: str = "") -> pd.Series:
    """ISO dates and times cut to `unit`: '2024-05-07T14:23:16Z' -> '2024-05-07' (day)."""
    present = ~_missing(values)
    text = values.where(present).astype("string")
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    bad = parsed.isna() & present
    if bad.any():
        raise InputError(f"column '{column}' holds {int(bad.sum())} value(s) that are not "
                         f"ISO dates or times (first in row {values.index[bad][0]})",
                         where=where)
    out = parsed.dt.strftime(_FORMATS[unit]).astype("string")
    if unit in ("minute", "hour"):
        zoned = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
        out = out.mask(zoned, out + "Z")
    return out.where(present)


def truncate_postcode(values: pd.Series, keep: int) -> pd.Series:
    """Keep the first `keep` characters, the rest become 'x': '04109' -> '041xx' (keep 3)."""
    text = values.astype("string").str.strip()
    out = text.str.slice(0, keep) + text.str.slice(keep).str.replace(r"\S", "x", regex=True)
    return out.where(~_missing(values))


class Hierarchy(BaseModel):
    """How one quasi-identifier can be generalised, level by level."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(description="The quasi-identifier column.")
    kind: Literal["band", "datetime", "postcode", "suppress"] = Field(
        "suppress", description="How its values are generalised: numeric bands, coarser "
                                "date/time units, postcode digits kept, or only suppressed.")
    levels: list[Any] = Field(
        default_factory=list,
        description="The levels in order: band widths ([5, 10, 20]), date units ([day, month, "
                    "year]) or postcode characters kept ([4, 3, 2]); none for suppress.")
    origin: float = Field(0.0, description="band: where the bands start.")

    @model_validator(mode="after")
    def _check_levels(self) -> Hierarchy:
        if self.kind == "band" and not all(isinstance(w, int | float) and w > 0
                                           for w in self.levels):
            raise ValueError("band levels are positive widths, e.g. [5, 10, 20]")
        if self.kind == "datetime" and not all(u in _FORMATS for u in self.levels):
            raise ValueError(f"datetime levels are units among {', '.join(_FORMATS)}")
        if self.kind == "postcode" and not all(isinstance(n, int) and n >= 0
                                               for n in self.levels):
            raise ValueError("postcode levels are numbers of characters kept, e.g. [4, 3, 2]")
        if self.kind == "suppress" and self.levels:
            raise ValueError("a 'suppress' hierarchy has no levels")
        return self

    @property
    def top(self) -> int:
        """The highest level: every value replaced by '*'."""
        return len(self.levels) + 1

    def label(self, level: int) -> str:
        if level == 0:
            return "original"
        if level >= self.top:
            return "suppressed"
        return f"{self.kind} {self.levels[level - 1]}"

    def apply(self, values: pd.Series, level: int, where: str = "") -> pd.Series:
        if level == 0:
            return values.astype("string")
        if level >= self.top:
            return pd.Series(SUPPRESSED, index=values.index, dtype="string")
        step = self.levels[level - 1]
        if self.kind == "band":
            return band(values, float(step), origin=self.origin, column=self.column,
                        where=where)
        if self.kind == "datetime":
            return truncate_datetime(values, str(step), column=self.column, where=where)
        return truncate_postcode(values, int(step))
