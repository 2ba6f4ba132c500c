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


def _parsed_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text cells as floats, and where a non-empty cell is not a number."""
    parsed = pd.to_numeric(values.where(~_missing(values)), errors="coerce")
    return parsed.astype("float64"), parsed.isna() & ~_missing(values)


def _not_numbers(column: str, bad: int, row: object, where: str) -> InputError:
    return InputError(f"column '{column}' holds {bad} value(s) that are not numbers "
                      f"(first in row {row})", where=where)


def numbers(values: pd.Series, column: str, where: str) -> pd.Series:
    """Text cells as floats; a non-empty cell that is not a number is an input error."""
    parsed, bad = _parsed_numbers(values)
    if bad.any():
        raise _not_numbers(column, int(bad.sum()), values.index[bad][0], where)
    return parsed


def integral_values(chunks: Iterable[pd.Series], width: float, origin: float,
                    column: str = "", where: str = "") -> bool:
    """Whether bands of `width` from `origin` over every value of a column (given in
    chunks) read `lo-hi`: integer bands over integer values only. Every chunk is
    read: a cell that is not a number is an input error counted over the column."""
    integral = float(width).is_integer() and float(origin).is_integer()
    bad, first = 0, None
    for values in chunks:
        parsed, wrong = _parsed_numbers(values)
        if wrong.any():
            bad, first = bad + int(wrong.sum()), values.index[wrong][0] if first is None \
                else first
        integral = integral and bool(((parsed.dropna() % 1) == 0).all())
    if bad:
        raise _not_numbers(column, bad, first, where)
    return integral


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
    present, text, parsed, bad = _parsed_datetimes(values)
    if bad.any():
        raise _not_datetimes(column, int(bad.sum()), values.index[bad][0], where)
    out = _formatted(parsed, unit)
    if unit in ("minute", "hour"):
        zoned = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
        out = out.mask(zoned, out + "Z")
    truncated: pd.Series = out.where(present)
    return truncated


_UNITS = {"minute": "m", "hour": "h", "day": "D", "month": "M", "year": "Y"}  # numpy's


def _formatted(parsed: pd.Series, unit: str) -> pd.Series:
    """Times (UTC) as the text of the unit they fall in: each distinct unit formatted
    once (a few hundred days, not a text per record) where they repeat."""
    times = parsed.dt.tz_convert(None).to_numpy()
    missing = np.isnat(times)
    # numpy floors a time to a coarser unit (also before 1970)
    units, codes = np.unique(times[~missing].astype(f"datetime64[{_UNITS[unit]}]"),
                             return_inverse=True)
    if len(units) * 4 > len(times):  # mostly distinct: as many texts either way
        each: pd.Series = parsed.dt.strftime(_FORMATS[unit]).astype("string")
        return each
    texts = pd.DatetimeIndex(units.astype("datetime64[s]")).strftime(_FORMATS[unit])
    out = np.full(len(times), None, dtype=object)
    out[~missing] = np.asarray(texts, dtype=object)[codes.reshape(-1)]
    return pd.Series(out, index=parsed.index, dtype="string")


def _parsed_datetimes(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Where a cell holds something, its text, its time (UTC), and where it is no ISO
    date or time."""
    present = ~_missing(values)
    text = values.where(present).astype("string")
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=True)
    return present, text, parsed, parsed.isna() & present


def _not_datetimes(column: str, bad: int, row: object, where: str) -> InputError:
    return InputError(f"column '{column}' holds {bad} value(s) that are not ISO dates or "
                      f"times (first in row {row})", where=where)


def check_datetimes(chunks: Iterable[pd.Series], column: str = "", where: str = "") -> None:
    """A cell of a column (given in chunks) that is no ISO date or time is an input
    error, counted over the whole column."""
    bad, first = 0, None
    for values in chunks:
        wrong = _parsed_datetimes(values)[3]
        if wrong.any():
            bad, first = bad + int(wrong.sum()), values.index[wrong][0] if first is None \
                else first
    if bad:
        raise _not_datetimes(column, bad, first, where)


def check_counted(h: Hierarchy, values: pd.Series, counts: np.ndarray, level: int,
                  where: str = "") -> None:
    """The input error h.apply(..., level) raises over records, where each of VALUES
    (indexed by the row number of its first record) stands for COUNTS records: how
    many records hold a value that is not a number (band) or no ISO date or time
    (datetime), and the first such record; nothing when none does."""
    if not 0 < level < h.top or h.kind not in ("band", "datetime"):
        return
    numeric = h.kind == "band"
    wrong = (_parsed_numbers(values)[1] if numeric else _parsed_datetimes(values)[3]).to_numpy()
    if wrong.any():
        bad, first = int(counts[wrong].sum()), values.index[wrong].min()
        raise (_not_numbers if numeric else _not_datetimes)(h.column, bad, first, where)


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

    def apply(self, values: pd.Series, level: int, where: str = "",
              integral: bool | None = None) -> pd.Series:
        """The values at a level. INTEGRAL (band): whether the whole column's values
        are integers, when VALUES are only a part of it."""
        if level == 0:
            return values.astype("string")
        if level >= self.top:
            return pd.Series(SUPPRESSED, index=values.index, dtype="string")
        step = self.levels[level - 1]
        if self.kind == "band":
            return band(values, float(step), origin=self.origin, column=self.column,
                        where=where, integral=integral)
        if self.kind == "datetime":
            return truncate_datetime(values, str(step), column=self.column, where=where)
        return truncate_postcode(values, int(step))
