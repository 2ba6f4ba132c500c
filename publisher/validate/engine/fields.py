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
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import frictionless as fl
import pyarrow as pa
import pyarrow.compute as pc

from publisher.validate.engine.arrays import to_numpy_bool
from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.fast import Fast, fast_path, member
from publisher.validate.engine.patterns import fixed_width

__all__ = ["KEY_TYPES", "FieldCheck", "build_check", "key_scalar", "to_numpy_bool"]

_SEEN_LIMIT = 50_000
_BOUNDS = {"minimum": "le", "exclusiveMinimum": "le", "maximum": "ge", "exclusiveMaximum": "ge"}

KEY_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(), "integer": pa.int64(), "year": pa.int64(), "number": pa.float64(),
    "boolean": pa.bool_(), "date": pa.date32(), "time": pa.time64("us"),
    "datetime": pa.timestamp("us"),
}


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
    fixed: Callable[[pa.Array], pa.Array] | None = None  # a fixed-width pattern's test
    seen: dict[Any, tuple[Any, dict[str, str] | None]] = field(default_factory=dict)

    def read(self, cell: Any) -> tuple[Any, dict[str, str] | None]:
        """The frictionless cell reader, remembered per distinct cell: bad
        cells repeat ("n/a", "-", "x"), and the reader is a pure function."""
        known = self.seen.get(cell)
        if known is None:
            known = self.reader(cell)
            if len(self.seen) < _SEEN_LIMIT:
                self.seen[cell] = known
        return known

    @property
    def kind(self) -> str:
        return str(self.field.type)

    @property
    def needs_values(self) -> bool:
        """Whether the constraint pre-check looks at typed values."""
        return bool(self.bounds) or "enum" in self.constraints

    @property
    def constrained(self) -> bool:
        return any(k in self.constraints for k in
                   ("enum", "minLength", "maxLength", "pattern")) or bool(self.bounds)

    def candidates(self, raw: pa.Array, ok: pa.Array, typed: pa.Array | None) -> pa.Array | None:
        """Fast cells that might break a constraint (a superset): the slow path
        decides. None when there are none to look at."""
        if self.fast is None or not self.constrained:
            return None
        if typed is None and self.needs_values:
            return ok
        flags: list[pa.Array] = []
        if "enum" in self.constraints:
            assert typed is not None
            flags.append(ok if self.enum is None else pc.invert(member(typed, self.enum)))
        for op, bound in self.bounds:
            assert typed is not None
            if bound is None:
                flags.append(ok)
                continue
            if isinstance(bound, float) and pa.types.is_integer(typed.type) and \
                    bound.is_integer() and abs(bound) < 2**53:
                bound = int(bound)  # the same comparison, without casting the column
            values = (pc.cast(typed, pa.float64())
                      if isinstance(bound, float) and typed.type != pa.float64() else typed)
            compare = pc.less_equal if op == "le" else pc.greater_equal
            flags.append(compare(values, bound))
        if "minLength" in self.constraints or "maxLength" in self.constraints:
            length = pc.utf8_length(raw)
            if "minLength" in self.constraints:
                flags.append(pc.less(length, int(self.constraints["minLength"])))
            if "maxLength" in self.constraints:
                flags.append(pc.greater(length, int(self.constraints["maxLength"])))
        if "pattern" in self.constraints:
            if self.fixed is not None and raw.type == pa.string():
                flags.append(pc.invert(self.fixed(raw)))
            elif self.pattern is None:
                flags.append(ok)
            else:
                matched = pc.and_(pc.match_substring_regex(raw, self.pattern),
                                  pc.string_is_ascii(raw))
                flags.append(pc.invert(matched))
        flagged = flags[0]
        for flag in flags[1:]:
            flagged = pc.or_(flagged, flag)
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
        fast=fast_path(schema_field), required=bool(constraints.get("required")),
        constraints=constraints)
    value_reader = schema_field.create_value_reader()
    for name, op in _BOUNDS.items():
        if name in constraints:
            check.bounds.append((op, _bound(check, value_reader, constraints[name])))
    if "enum" in constraints:
        check.enum = _enum(check, value_reader, constraints["enum"])
    if "pattern" in constraints:
        check.pattern = _re2(constraints["pattern"])
        if isinstance(constraints["pattern"], str):
            check.fixed = fixed_width(constraints["pattern"])
    return check
