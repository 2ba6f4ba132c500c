"""Table Schema fields inferred from a table's cells, German conventions included.

Text cells (CSV, sheets, GeoJSON strings) are typed by looking at every
value, not a sample: a column gets a type only when all of its values that
are not missing fit it, else it stays a string (so the described package
validates as it stands). Recognised:

- missing values: "", "-", "k.A.", "n.v.", "NA", "." ... A token is declared
  (schema `missingValues`) only where it stands in a column that is
  otherwise typed; "" always is.
- integers (no leading zeros: postcodes and official keys such as "01067"
  stay text), numbers with a decimal comma and "." groups ("1.234,5"; fields
  get decimalChar / groupChar) or a decimal point and "," groups. A value
  such as "12.345" fits both: the resource's convention decides (a decimal
  comma anywhere, or a ";" delimiter, makes it German).
- dates (ISO, dd.mm.yyyy, dd.mm.yy), date-times (ISO with T or a space,
  dd.mm.yyyy HH:MM[:SS]) and times, each with the Table Schema format that
  reads it; booleans (true/false, ja/nein, wahr/falsch, yes/no).

Typed columns (GeoPackage, Shapefile, GeoParquet ...) take their type from
the column's dtype. Values never leave this module: only types and formats do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

MISSING_TOKENS = ("", "-", "–", "—", ".", "/", "k.A.", "k. A.", "keine Angabe", "n.v.",
                  "n. v.", "n.a.", "NA", "N/A", "n/a", "NaN", "NULL", "null", "#NV", "#N/A")
BOOLEANS = (("true", "false"), ("ja", "nein"), ("wahr", "falsch"), ("yes", "no"))

_INTEGER = re.compile(r"[+-]?(?:0|[1-9]\d*)")
_CODE = re.compile(r"0\d+")  # a leading zero: a postcode or key, not a number
_DE_NUMBER = re.compile(r"[+-]?(?:\d+|\d{1,3}(?:\.\d{3})+)(?:,\d+)?")
_EN_NUMBER = re.compile(r"[+-]?(?:(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DE_ONLY = re.compile(r"[+-]?\d+,\d+|[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # not English
_GROUPED_DE = re.compile(r".*\d\.\d{3}(?:\D|$).*")
_GROUPED_EN = re.compile(r".*\d,\d{3}(?:\D|$).*")

# (pattern the text matches, Table Schema type, its format, pandas format to check the values)
_TEMPORAL: tuple[tuple[re.Pattern[str], str, str, str], ...] = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "date", "default", "%Y-%m-%d"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}"), "date", "%d.%m.%Y", "%d.%m.%Y"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.\d{2}"), "date", "%d.%m.%y", "%d.%m.%y"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"),
     "datetime", "default", "ISO8601"),
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"), "datetime", "%Y-%m-%d %H:%M:%S",
     "%Y-%m-%d %H:%M:%S"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}"), "datetime", "%Y-%m-%dT%H:%M",
     "%Y-%m-%dT%H:%M"),
    (re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"), "datetime", "%Y-%m-%d %H:%M",
     "%Y-%m-%d %H:%M"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}:\d{2}"), "datetime",
     "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S"),
    (re.compile(r"\d{1,2}\.\d{1,2}\.\d{4} \d{1,2}:\d{2}"), "datetime", "%d.%m.%Y %H:%M",
     "%d.%m.%Y %H:%M"),
    (re.compile(r"\d{1,2}:\d{2}:\d{2}"), "time", "%H:%M:%S", "%H:%M:%S"),
    (re.compile(r"\d{1,2}:\d{2}"), "time", "%H:%M", "%H:%M"),
)
ID_WORDS = ("id", "nr", "nummer", "no", "kennung", "schluessel", "key", "code", "objectid",
            "fid", "gid", "lfdnr", "laufendenummer", "ident")


@dataclass
class Inferred:
    """A resource's schema as inferred, and how numbers were read."""

    fields: list[dict[str, Any]] = field(default_factory=list)
    missing_values: list[str] = field(default_factory=lambda: [""])
    primary_key: str | None = None
    german_numbers: bool = False

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"fields": self.fields}
        if self.missing_values != [""]:
            out["missingValues"] = self.missing_values
        if self.primary_key is not None:
            out["primaryKey"] = [self.primary_key]
        return out


def _words(name: str) -> list[str]:
    folded = (name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
              .replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue").replace("ß", "ss"))
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", folded).lower()
    words = [w for w in re.split(r"[^a-z0-9]+", spaced) if w]
    return [*words, "".join(words)]


def name_words(name: str) -> list[str]:
    """A column name's words, lower case with umlauts folded, and all joined."""
    return _words(name)


def _all_match(pattern: re.Pattern[str], values: pd.Series) -> bool:
    return bool(values.str.fullmatch(pattern).all())


def _parses(values: pd.Series, pandas_format: str) -> bool:
    parsed = pd.to_datetime(values, format=pandas_format, errors="coerce",
                            utc=pandas_format == "ISO8601")
    return bool(parsed.notna().all())


def _temporal(values: pd.Series) -> dict[str, Any] | None:
    for pattern, kind, fmt, pandas_format in _TEMPORAL:
        if not _all_match(pattern, values):
            continue
        if kind == "time":
            ok = _parses("2000-01-01 " + values, f"%Y-%m-%d {pandas_format}")
        else:
            ok = _parses(values, pandas_format)
        if not ok:
            return None
        out: dict[str, Any] = {"type": kind}
        if fmt != "default":
            out["format"] = fmt
        return out
    return None


def _boolean(values: pd.Series) -> dict[str, Any] | None:
    seen = set(values.unique())
    lowered = {str(v).lower() for v in seen}
    for true, false in BOOLEANS:
        if lowered <= {true, false}:
            trues = sorted(v for v in seen if str(v).lower() == true) or [true]
            falses = sorted(v for v in seen if str(v).lower() == false) or [false]
            return {"type": "boolean", "trueValues": trues, "falseValues": falses}
    return None


def _number(values: pd.Series, german: bool) -> dict[str, Any] | None:
    stripped = values.str.strip()
    if stripped.str.fullmatch(_CODE).any():
        return None
    if _all_match(_INTEGER, stripped):
        return {"type": "integer"}
    de_ok = _all_match(_DE_NUMBER, stripped)
    en_ok = _all_match(_EN_NUMBER, stripped)
    if de_ok and (german or not en_ok):
        out: dict[str, Any] = {"type": "number", "decimalChar": ","}
        if stripped.str.fullmatch(_GROUPED_DE).any():
            out["groupChar"] = "."
        return out
    if en_ok:
        out = {"type": "number"}
        if stripped.str.fullmatch(_GROUPED_EN).any():
            out["groupChar"] = ","
        return out
    return None


def german_convention(table: pd.DataFrame, delimiter: str | None) -> bool:
    """Whether a value such as "12.345" is read as twelve thousand (German)."""
    if delimiter == ";":
        return True
    for name in table.columns:
        column = table[name]
        if not pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
            continue
        text = column.dropna().astype(str).str.strip()
        if text.str.fullmatch(_DE_ONLY).any():
            return True
    return False


def _text_field(values: pd.Series, german: bool) -> dict[str, Any]:
    if values.empty:
        return {"type": "string"}
    unique = pd.Series(values.unique(), dtype="str")
    return (_boolean(unique) or _number(unique, german) or _temporal(unique)
            or {"type": "string"})


def _typed_field(column: pd.Series) -> dict[str, Any]:
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return {"type": "boolean"}
    if pd.api.types.is_integer_dtype(dtype):
        return {"type": "integer"}
    if pd.api.types.is_float_dtype(dtype):
        return {"type": "number"}
    if pd.api.types.is_datetime64_any_dtype(dtype):
        values = column.dropna()
        midnight = values.empty or bool((values == values.dt.normalize()).all())
        return {"type": "date"} if midnight else {"type": "datetime"}
    return {"type": "string"}


def _is_text(column: pd.Series) -> bool:
    if pd.api.types.is_string_dtype(column.dtype):
        return True
    if column.dtype != object:
        return False
    present = column.dropna()
    return bool(present.map(lambda v: isinstance(v, str)).all())


def infer_schema(table: pd.DataFrame, *, delimiter: str | None = None,
                 skip: Iterable[str] = ()) -> Inferred:
    """The schema of every column but `skip` (the geometry)."""
    skipped = set(skip)
    names = [str(c) for c in table.columns if str(c) not in skipped]
    german = german_convention(table[names], delimiter)
    out = Inferred(german_numbers=german)
    declared: list[str] = [""]
    for name in names:
        column = table[name]
        if not _is_text(column):
            out.fields.append({"name": name, **_typed_field(column)})
            continue
        text = column.dropna().astype(str)
        present = text[text != ""]
        tokens = [t for t in MISSING_TOKENS[1:] if (present == t).any()]
        values = present[~present.isin(tokens)] if tokens else present
        spec = _text_field(values, german)
        if tokens and spec["type"] != "string":
            declared += [t for t in tokens if t not in declared]
        out.fields.append({"name": name, **spec})
    out.missing_values = declared
    out.primary_key = primary_key(table, out)
    return out


def _complete_and_unique(column: pd.Series, missing: list[str]) -> bool:
    if column.isna().any():
        return False
    if _is_text(column) and column.astype(str).isin(missing).any():
        return False
    return bool(column.is_unique)


def primary_key(table: pd.DataFrame, inferred: Inferred) -> str | None:
    """A column that identifies each record: complete, unique, integer or text;
    one whose name says it is an id first, else the first column if it is an
    integer."""
    if len(table) == 0:
        return None
    kinds = {f["name"]: f["type"] for f in inferred.fields}
    candidates = [n for n, kind in kinds.items() if kind in ("integer", "string")]
    named = [str(n) for n in candidates if any(w in ID_WORDS for w in _words(n))]
    first = [str(inferred.fields[0]["name"])] if inferred.fields and \
        inferred.fields[0]["type"] == "integer" else []
    for name in [*named, *first]:
        if _complete_and_unique(table[name], inferred.missing_values):
            return name
    return None
