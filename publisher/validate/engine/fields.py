"""Vectorised cell checks for one Table Schema field, exact by construction.

Each field has a *fast path*: an Arrow predicate that accepts only cells that
frictionless would certainly accept, and the typed value of those cells. Every
other non-missing cell, and every fast cell that *might* break a constraint
(a superset, e.g. `value <= minimum` as float), goes to the *slow path*: the
field's own frictionless cell reader, one Python call per cell. Type and
constraint errors therefore always come from frictionless itself; the fast
path only decides which cells need no second look. The slow path is rare on
real data (bad cells and edge formats), and it makes every other type exact
too: types without a fast path (geopoint, duration, ...) simply send all
their cells there.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import frictionless as fl
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from publisher.validate.engine.errors import Unsupported

BoolArray = npt.NDArray[np.bool_]
Fast = Callable[[pa.Array], tuple[pa.Array, pa.Array | None]]

_INTEGER = r"^-?[0-9]{1,18}$"
_NUMBER = r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$"
_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
_DATETIME = (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
             r"[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")
_SAFE_DIRECTIVES = re.compile(r"%[YmdHMS]")
_BOUNDS = {"minimum": "le", "exclusiveMinimum": "le", "maximum": "ge", "exclusiveMaximum": "ge"}

KEY_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(), "integer": pa.int64(), "year": pa.int64(), "number": pa.float64(),
    "boolean": pa.bool_(), "date": pa.date32(), "time": pa.time64("us"),
    "datetime": pa.timestamp("us"),
}


def to_numpy_bool(array: pa.Array | pa.ChunkedArray) -> BoolArray:
    """Arrow booleans as numpy, nulls as False."""
    filled = pc.fill_null(array, False)
    return np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool)


def _where(ok: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(ok, values, pa.scalar(None, values.type))


def _integer(raw: pa.Array) -> tuple[pa.Array, pa.Array | None]:
    ok = pc.match_substring_regex(raw, _INTEGER)
    return ok, pc.cast(_where(ok, raw), pa.int64())


def _year(raw: pa.Array) -> tuple[pa.Array, pa.Array | None]:
    ok = pc.match_substring_regex(raw, r"^[0-9]{4}$")
    return ok, pc.cast(_where(ok, raw), pa.int64())


def _number(schema_field: Any) -> Fast | None:
    if not schema_field.bare_number:
        return None
    defined = set(schema_field.list_defined())
    group = schema_field.group_char if "group_char" in defined else ""
    decimal = schema_field.decimal_char if {"group_char", "decimal_char"} & defined else "."

    def fast(raw: pa.Array) -> tuple[pa.Array, pa.Array | None]:
        text = raw
        if group:
            text = pc.replace_substring(text, group, "")
        ok_extra = None
        if decimal != ".":
            ok_extra = pc.invert(pc.match_substring(text, "."))
            text = pc.replace_substring(text, decimal, ".")
        ok = pc.match_substring_regex(text, _NUMBER)
        if ok_extra is not None:
            ok = pc.and_(ok, ok_extra)
        values = pc.add(pc.cast(_where(ok, text), pa.float64()), 0.0)  # -0.0 -> 0.0
        return ok, values

    return fast


def _checked_dates(text: pa.Array, ok: pa.Array, fmt: str) -> tuple[pa.Array, pa.Array]:
    """Parse with Arrow, then insist the value prints back as the cell: Arrow
    rolls 2023-02-29 over to March 1, frictionless (Python) rejects it."""
    parsed = pc.strptime(_where(ok, text), format=fmt, unit="s", error_is_null=True)
    back = pc.strftime(parsed, format=fmt)
    same = pc.fill_null(pc.equal(back, text), False)
    sane = pc.fill_null(pc.greater_equal(pc.year(parsed), 1), False)
    return pc.and_(pc.and_(ok, same), sane), parsed


def _ints(text: pa.Array, start: int, stop: int) -> npt.NDArray[np.int64]:
    """The decimal number in bytes start..stop of each cell, read straight from
    Arrow's buffers; only meaningful for cells already known to be digits there."""
    if not len(text):
        return np.zeros(0, dtype=np.int64)
    text = pc.cast(text, pa.string())
    _, offsets_buffer, data_buffer = text.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int32)[text.offset:text.offset + len(text)]
    data = (np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None
            else np.zeros(0, dtype=np.uint8))
    if not data.size:
        data = np.zeros(1, dtype=np.uint8)
    last = max(len(data) - 1, 0)
    value = np.zeros(len(text), dtype=np.int64)
    for position in range(start, stop):
        digit = data[np.minimum(offsets + position, last)].astype(np.int64) - 48
        value = value * 10 + np.clip(digit, 0, 9)
    return value


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _iso_days(text: pa.Array, ok: pa.Array) -> tuple[pa.Array, npt.NDArray[np.int64]]:
    """Cells shaped YYYY-MM-DD (by `ok`) that are real calendar dates, and their
    days since 1970-01-01 (civil calendar arithmetic, no parsing, no roll-over)."""
    shaped = _where(ok, text)
    year, month, day = _ints(shaped, 0, 4), _ints(shaped, 5, 7), _ints(shaped, 8, 10)
    month = np.clip(month, 1, 12)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    limit = _MONTH_DAYS[month] + ((month == 2) & leap)
    real = (year >= 1) & (day <= limit)
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    return pc.and_(ok, pa.array(real)), days


def _date(schema_field: Any) -> Fast | None:
    fmt = schema_field.format
    if fmt == "default":
        fmt, pattern = "%Y-%m-%d", _DATE
    elif fmt != "any" and "%" in fmt and not _SAFE_DIRECTIVES.sub("", fmt).count("%"):
        pattern = ".*"
    else:
        return None
    strptime_fmt = fmt

    def fast(raw: pa.Array) -> tuple[pa.Array, pa.Array | None]:
        ok = pc.match_substring_regex(raw, pattern)
        if pattern == _DATE:
            ok, days = _iso_days(raw, ok)
            return ok, _where(ok, pa.array(days.astype(np.int32), pa.int32()).cast(pa.date32()))
        ok, parsed = _checked_dates(raw, ok, strptime_fmt)
        return ok, pc.cast(_where(ok, parsed), pa.date32())

    return fast


def _time(raw: pa.Array) -> tuple[pa.Array, pa.Array | None]:
    ok = pc.match_substring_regex(raw, _TIME)
    text = _where(ok, raw)
    parts = [pc.cast(pc.utf8_slice_codeunits(text, start, start + 2), pa.int64())
             for start in (0, 3, 6)]
    seconds = pc.add(pc.add(pc.multiply(parts[0], 3600), pc.multiply(parts[1], 60)), parts[2])
    micros = pc.multiply(seconds, 1_000_000)
    return ok, pc.cast(micros, pa.time64("us"))


def _datetime(schema_field: Any) -> Fast | None:
    if schema_field.format != "default":
        return None

    def fast(raw: pa.Array) -> tuple[pa.Array, pa.Array | None]:
        ok = pc.match_substring_regex(raw, _DATETIME)
        ok, days = _iso_days(raw, ok)
        shaped = _where(ok, raw)
        seconds = (days * 86400 + _ints(shaped, 11, 13) * 3600 + _ints(shaped, 14, 16) * 60
                   + _ints(shaped, 17, 19))
        stamps = pa.array(seconds * 1_000_000, pa.int64()).cast(pa.timestamp("us"))
        return ok, _where(ok, stamps)

    return fast


def _boolean(schema_field: Any) -> Fast:
    true_values = pa.array([str(v) for v in schema_field.true_values], pa.string())
    false_values = pa.array([str(v) for v in schema_field.false_values], pa.string())

    def fast(raw: pa.Array) -> tuple[pa.Array, pa.Array | None]:
        is_true = pc.is_in(raw, value_set=true_values)
        ok = pc.or_(is_true, pc.is_in(raw, value_set=false_values))
        return ok, _where(ok, is_true)

    return fast


def _string(schema_field: Any) -> Fast | None:
    if schema_field.format != "default":
        return None
    return lambda raw: (pc.is_valid(raw), raw)


def _fast_path(schema_field: Any) -> Fast | None:
    kind = schema_field.type
    if kind == "string":
        return _string(schema_field)
    if kind == "integer":
        return _integer if schema_field.bare_number else None
    if kind == "year":
        return _year
    if kind == "number":
        return _number(schema_field)
    if kind == "boolean":
        return _boolean(schema_field)
    if kind == "date":
        return _date(schema_field)
    if kind == "time":
        return _time if schema_field.format == "default" else None
    if kind == "datetime":
        return _datetime(schema_field)
    return None


def _exact(kind: str, value: Any) -> bool:
    if kind in ("integer", "year"):
        return isinstance(value, int) and not isinstance(value, bool) and \
            -(2**63) <= value < 2**63
    if kind == "date":
        return isinstance(value, dt.date)
    if kind in ("time", "datetime"):
        return getattr(value, "tzinfo", None) is None
    return kind in ("number", "string", "boolean")


def key_scalar(kind: str, value: Any) -> Any:
    """A Python value as frictionless reads it, in the form the key arrays hold."""
    if value is None:
        return None
    if not _exact(kind, value):
        raise Unsupported(f"a {kind} value that has no exact key form")
    if kind != "number":
        return value
    number = float(value) + 0.0
    if (isinstance(value, Decimal) and value.is_finite() and value != 0
            and (number == 0.0 or math.isinf(number))):
        raise Unsupported("a number beyond the range of a float in a key")
    return number


@dataclass
class FieldCheck:
    """Everything needed to check one field's cells, built once per resource."""

    name: str
    number: int
    field: Any  # frictionless Field
    reader: Callable[[Any], tuple[Any, dict[str, str] | None]]
    missing: pa.Array
    fast: Fast | None
    required: bool
    constraints: dict[str, Any] = field(default_factory=dict)
    bounds: list[tuple[str, Any]] = field(default_factory=list)
    enum: pa.Array | None = None
    pattern: str | None = None

    @property
    def kind(self) -> str:
        return str(self.field.type)

    def candidates(self, raw: pa.Array, ok: pa.Array, typed: pa.Array | None) -> pa.Array:
        """Fast cells that might break a constraint (a superset): the slow path decides."""
        flagged = pa.array(np.zeros(len(raw), dtype=bool))
        if self.fast is None or typed is None:
            return flagged
        if "enum" in self.constraints:
            if self.enum is None:
                flagged = pc.or_(flagged, ok)
            else:
                flagged = pc.or_(flagged, pc.invert(pc.is_in(typed, value_set=self.enum)))
        for op, bound in self.bounds:
            if bound is None:
                flagged = pc.or_(flagged, ok)
                continue
            values = pc.cast(typed, pa.float64()) if isinstance(bound, float) else typed
            compare = pc.less_equal if op == "le" else pc.greater_equal
            flagged = pc.or_(flagged, compare(values, bound))
        if "minLength" in self.constraints or "maxLength" in self.constraints:
            length = pc.utf8_length(raw)
            if "minLength" in self.constraints:
                flagged = pc.or_(flagged, pc.less(length, int(self.constraints["minLength"])))
            if "maxLength" in self.constraints:
                flagged = pc.or_(flagged, pc.greater(length, int(self.constraints["maxLength"])))
        if "pattern" in self.constraints:
            if self.pattern is None:
                flagged = pc.or_(flagged, ok)
            else:
                matched = pc.and_(pc.match_substring_regex(raw, self.pattern),
                                  pc.string_is_ascii(raw))
                flagged = pc.or_(flagged, pc.invert(matched))
        return pc.and_(pc.fill_null(flagged, True), ok)


def _bound(check: FieldCheck, value_reader: Callable[[Any], Any], raw: Any) -> Any:
    value = value_reader(raw)
    kind = check.kind
    try:
        if kind in ("integer", "number", "year"):
            return None if value is None or isinstance(value, bool) else float(value)
        return pa.scalar(key_scalar(kind, value), KEY_TYPES[kind])
    except (Unsupported, TypeError, ValueError, pa.ArrowException):
        return None


def _enum(check: FieldCheck, value_reader: Callable[[Any], Any], values: Any) -> pa.Array | None:
    if check.kind == "number" or not isinstance(values, list):
        return None
    try:
        cast = [key_scalar(check.kind, value_reader(v)) for v in values]
        return pa.array([c for c in cast if c is not None], KEY_TYPES[check.kind])
    except (Unsupported, TypeError, ValueError, pa.ArrowException):
        return None


def _re2(pattern: Any) -> str | None:
    text = f"^(?:{pattern})$"
    try:
        pc.match_substring_regex(pa.array(["x"]), text)
    except pa.ArrowException:
        return None
    return text


def build_check(schema_field: Any, number: int, schema: fl.Schema) -> FieldCheck:
    missing = schema_field.missing_values
    if not schema_field.has_defined("missing_values"):
        missing = schema.missing_values
    supported = set(schema_field.supported_constraints)
    constraints = {k: v for k, v in dict(schema_field.constraints).items()
                   if k in supported and v is not None}
    check = FieldCheck(
        name=schema_field.name, number=number, field=schema_field,
        reader=schema_field.create_cell_reader(),
        missing=pa.array([str(m) for m in missing], pa.string()),
        fast=_fast_path(schema_field), required=bool(constraints.get("required")),
        constraints=constraints)
    value_reader = schema_field.create_value_reader()
    for name, op in _BOUNDS.items():
        if name in constraints:
            check.bounds.append((op, _bound(check, value_reader, constraints[name])))
    if "enum" in constraints:
        check.enum = _enum(check, value_reader, constraints["enum"])
    if "pattern" in constraints:
        check.pattern = _re2(constraints["pattern"])
    return check
