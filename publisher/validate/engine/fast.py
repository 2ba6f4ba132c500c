"""Fast paths: Arrow predicates for the cells frictionless certainly accepts.

A fast path takes one block of raw text and returns `ok` (cells certainly
valid for the field's type) and, when asked, their typed values. It may leave
valid cells out (the field's own frictionless reader then decides them, one
Python call per cell) but must never let a cell in that frictionless rejects
or reads as a different value. The cheapest test that keeps this promise runs
first: a whole-block Arrow cast where Arrow's parser is known to accept a
subset of what frictionless accepts (fixed-width ISO dates and datetimes), or
character-class kernels instead of regular expressions. Where the compiled
extension is built (native.py), its kernels take integers, numbers, dates,
times, datetimes, years and booleans in one call per block; these Arrow
paths remain for other fields and for machines without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from publisher.validate.engine import native
from publisher.validate.engine.arrays import BoolArray, text_buffers, to_numpy_bool

Fast = Callable[[pa.Array, bool], tuple[pa.Array, pa.Array | None]]

_NUMBER = r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$"
_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
_DATETIME = (r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
             r"[T ]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")
_SAFE_DIRECTIVES = re.compile(r"%[YmdHMS]")
# Python's datetime starts at year 1; Arrow also parses year 0000.
_FIRST_DAY = -719162  # 0001-01-01 in days since 1970-01-01
_FIRST_SECOND = _FIRST_DAY * 86400


MAX_JUNK = 8
_FAILED = re.compile(r"Failed to parse string: '(.*)' as a scalar of type ", re.S)


@dataclass
class Hint:
    """What one field's earlier blocks taught about its cells; the worker
    threads share it, and a stale value costs time, never exactness.

    One cell Arrow cannot read fails a whole-block cast, and a failed cast
    costs a whole pass. Arrow names that cell, and dirty columns repeat the
    same few bad values ("n/a", "-", "2023-02-29"): these are learnt (`junk`)
    and left out of later casts, to the cell reader. When there are too many
    to learn, `whole_failed` sends the next block to a route without a cast
    that may fail; a block found clean there sends the next one back."""

    junk: tuple[str, ...] = ()
    whole_failed: bool = False


def _cast_learning(raw: pa.Array, cells: pa.Array, kind: pa.DataType,
                  hint: Hint) -> tuple[pa.Array, pa.Array] | None:
    """(values, cells cast): the cells selected by `cells`, less the learnt
    bad values, cast to `kind`; None if that fails for a value not learnt
    and no more can be learnt."""
    for value in hint.junk:
        cells = pc.and_(cells, pc.not_equal(raw, value))
    while True:
        try:
            return pc.cast(where(cells, raw), kind), cells
        except pa.ArrowInvalid as exc:
            found = _FAILED.match(str(exc))
            if found is None or len(hint.junk) >= MAX_JUNK:
                return None
            same = pc.equal(raw, found.group(1))
            if not pc.any(pc.and_(same, cells)).as_py():  # not a cell as such
                return None
            hint.junk = (*hint.junk, found.group(1))
            cells = pc.and_(cells, pc.invert(same))


def where(ok: pa.Array, values: pa.Array) -> pa.Array:
    return pc.if_else(ok, values, pa.scalar(None, values.type))


def member(values: pa.Array, value_set: pa.Array) -> pa.Array:
    """is_in (null where `values` is null only for the empty-string set)."""
    if len(value_set) == 1 and value_set[0].as_py() == "":
        return pc.equal(pc.binary_length(values), 0)  # far cheaper than a hash lookup
    if native.readable(values) and value_set.type == pa.string():
        return native.member(values, value_set)
    return pc.is_in(values, value_set=value_set)


def _integer(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
    """-?[0-9]{1,18} (ASCII digits only), without a regular expression."""
    ok = pc.and_(pc.ascii_is_decimal(raw), pc.less_equal(pc.binary_length(raw), 18))
    negative = pc.fill_null(pc.starts_with(raw, "-"), False)
    if negative.true_count:  # usually few: look at those alone
        digits = pc.utf8_slice_codeunits(raw.filter(negative), 1)
        good = pc.and_(pc.ascii_is_decimal(digits), pc.less_equal(pc.binary_length(digits), 18))
        ok = pc.replace_with_mask(ok, negative, good)  # "-..." is never decimal itself
    return ok, pc.cast(where(ok, raw), pa.int64()) if typed else None


def _year(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
    ok = pc.and_(pc.ascii_is_decimal(raw), pc.equal(pc.binary_length(raw), 4))
    return ok, pc.cast(where(ok, raw), pa.int64()) if typed else None


_NUMBER_START = np.zeros(256, dtype=bool)
_NUMBER_START[[*b"0123456789+-."]] = True


def _first_byte_in(text: pa.Array, table: BoolArray) -> pa.Array:
    """Per cell, whether it has a first byte and `table` allows it: a cheap
    way to keep the usual junk ("x", "n/a") out of a cast that would fail."""
    if text.type not in (pa.string(), pa.binary()):
        return pc.fill_null(pc.greater(pc.binary_length(text), 0), False)
    offsets, data = text_buffers(text)
    starts = offsets[:-1]
    ok = (offsets[1:] > starts) & table[data[np.minimum(starts, np.int32(len(data) - 1))]]
    if text.null_count:
        ok &= to_numpy_bool(pc.is_valid(text))
    return pa.array(ok)


def _decimal(text: pa.Array, typed: bool, hint: Hint) -> tuple[pa.Array, pa.Array | None]:
    """Cells Decimal() reads as the float Arrow reads. Arrow's float cast
    accepts a subset of what Decimal accepts (no spaces, underscores or
    non-ASCII digits; fuzzed), and the same value once rounded to a float,
    unless the value is not finite or a nonzero exponent form underflowed to
    zero: those are left to the cell reader. Cells Arrow cannot read are
    learnt (Hint); past that, the cells matching a plain decimal pattern are.
    Only cells starting like a number are cast at all."""
    cells = _first_byte_in(text, _NUMBER_START)
    cast = None if hint.whole_failed else _cast_learning(text, cells, pa.float64(), hint)
    if cast is None:
        ok = pc.match_substring_regex(text, _NUMBER)
        hint.whole_failed = _rejects_any(ok, cells)
        return ok, pc.cast(where(ok, text), pa.float64()) if typed else None
    values, cells = cast
    ok = pc.and_(cells, pc.is_finite(values))
    zero = pc.equal(values, 0.0)
    if zero.true_count:
        at = np.flatnonzero(to_numpy_bool(zero))
        exponent = pc.match_substring_regex(text.take(pa.array(at)), "[eE]")
        ok_np = to_numpy_bool(ok)
        ok_np[at[to_numpy_bool(exponent)]] = False
        ok = pa.array(ok_np)
    return ok, values if typed else None


def _rejects_any(ok: pa.Array, cells: pa.Array) -> bool:
    """Whether a cell selected by `cells` is not `ok`."""
    return bool(pc.any(pc.and_(pc.fill_null(cells, False),
                               pc.invert(pc.fill_null(ok, False)))).as_py())


def _number(schema_field: Any) -> Fast | None:
    if not schema_field.bare_number:
        return None
    hint = Hint()
    defined = set(schema_field.list_defined())
    group = schema_field.group_char if "group_char" in defined else ""
    decimal = schema_field.decimal_char if {"group_char", "decimal_char"} & defined else "."

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        text = raw
        if group:
            text = pc.replace_substring(text, group, "")
        ok_extra = None
        if decimal != ".":
            ok_extra = pc.invert(pc.match_substring(text, "."))
            text = pc.replace_substring(text, decimal, ".")
        if native.readable(text):  # the kernel reads -0 as 0 already
            ok, values = native.read("numbers", text, pa.float64())
        else:
            ok, values = _decimal(text, typed, hint)
            values = pc.add(values, 0.0) if values is not None else None  # -0.0 -> 0.0
        if ok_extra is not None:
            ok = pc.and_(ok, ok_extra)
        return ok, values if typed else None

    return fast


def _checked_dates(text: pa.Array, ok: pa.Array, fmt: str) -> tuple[pa.Array, pa.Array]:
    """Parse with Arrow, then insist the value prints back as the cell: Arrow
    rolls 2023-02-29 over to March 1, frictionless (Python) rejects it."""
    parsed = pc.strptime(where(ok, text), format=fmt, unit="s", error_is_null=True)
    back = pc.strftime(parsed, format=fmt)
    same = pc.fill_null(pc.equal(back, text), False)
    sane = pc.fill_null(pc.greater_equal(pc.year(parsed), 1), False)
    return pc.and_(pc.and_(ok, same), sane), parsed


def _ints(text: pa.Array, start: int, stop: int) -> npt.NDArray[np.int64]:
    """The decimal number in bytes start..stop of each cell, read straight from
    Arrow's buffers; only meaningful for cells known to be digits there."""
    size = len(text)
    if not size:
        return np.zeros(0, dtype=np.int64)
    if text.type != pa.string():
        text = pc.cast(text, pa.string())
    offsets, data = text_buffers(text)
    index = offsets[:-1].astype(np.int64)
    value = np.zeros(size, dtype=np.int64)
    for position in range(start, stop):
        digit = data[np.minimum(index + position, len(data) - 1)]
        value = value * 10 + digit.astype(np.int64) - 48
    return value


_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _iso_days(text: pa.Array, ok: pa.Array) -> tuple[pa.Array, npt.NDArray[np.int64]]:
    """Cells shaped YYYY-MM-DD (by `ok`) that are real calendar dates, and their
    days since 1970-01-01 (civil calendar arithmetic, no parsing, no roll-over)."""
    shaped = where(ok, text)
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


def _try_cast(raw: pa.Array, ok: pa.Array, kind: pa.DataType) -> pa.Array | None:
    try:
        return pc.cast(where(ok, raw), kind)
    except pa.ArrowInvalid:
        return None


def _day_at_most_28(text: pa.Array) -> BoolArray:
    """Bytes 8-9 of each cell read as a day of month 01-28 (meaningless for
    cells that are not shaped like a date: the cast then tells)."""
    if not len(text) or not text.buffers()[2]:
        return np.zeros(len(text), dtype=bool)
    offsets, data = text_buffers(text)
    starts, last = offsets[:-1], np.int32(len(data) - 1)
    tens = data[np.minimum(starts + np.int32(8), last)]
    ones = data[np.minimum(starts + np.int32(9), last)]
    return np.asarray((tens < 50) | ((tens == 50) & (ones <= 56)), dtype=bool)  # "2", "8"


def _not_before(values: pa.Array, kind: pa.DataType, first: int) -> pa.Array:
    storage = pa.int32() if kind == pa.date32() else pa.int64()
    return pc.greater_equal(values.view(storage), first)


def _iso(raw: pa.Array, width: int, kind: pa.DataType, first: int, pattern: str,
         typed: bool, hint: Hint) -> tuple[pa.Array, pa.Array | None]:
    """Cells of exactly `width` bytes through Arrow's ISO-8601 cast. At these
    widths Arrow accepts exactly YYYY-MM-DD and YYYY-MM-DD[T ]hh:mm:ss with
    real calendar dates (no zone, no fraction, no roll-over: fuzzed against
    Python's strptime), plus years before 1, which `first` cuts off.

    One bad cell fails a cast as a whole, and 2023-02-29 has the right shape:
    bad values are learnt (Hint); past that, only cells with day 01-28 are
    cast (they cannot fail on the calendar), and the few others get the
    calendar arithmetic on their own."""
    width_ok = pc.equal(pc.binary_length(raw), width)
    cast = None if hint.whole_failed else _cast_learning(raw, width_ok, kind, hint)
    if cast is not None:  # the usual block: every cell of that width but learnt ones is a date
        whole, cells = cast
        return pc.and_(cells, _not_before(whole, kind, first)), whole if typed else None
    ok_array, values = _iso_split(raw, width_ok, kind, first, pattern, typed)
    hint.whole_failed = _rejects_any(ok_array, width_ok)
    return ok_array, values


def _iso_split(raw: pa.Array, width_ok: pa.Array, kind: pa.DataType, first: int, pattern: str,
               typed: bool) -> tuple[pa.Array, pa.Array | None]:
    shaped = to_numpy_bool(width_ok)
    low = shaped & _day_at_most_28(raw)
    values = _try_cast(raw, pa.array(low), kind)
    if values is None:  # some cell of that width is not even shaped like a date
        low &= to_numpy_bool(pc.match_substring_regex(raw, pattern))
        values = pc.cast(where(pa.array(low), raw), kind)
    ok = to_numpy_bool(_not_before(values, kind, first))
    rest = np.flatnonzero(shaped & ~low)
    if not len(rest):
        return pa.array(ok), values if typed else None
    cells = raw.take(pa.array(rest))
    real, _ = _iso_days(cells, pc.match_substring_regex(cells, pattern))
    good = rest[to_numpy_bool(real)]
    ok[good] = True
    if not typed:
        return pa.array(ok), None
    mask = np.zeros(len(raw), dtype=bool)
    mask[good] = True
    extra = pc.cast(raw.take(pa.array(good, pa.int64())), kind)  # real dates: cannot fail
    return pa.array(ok), pc.replace_with_mask(values, pa.array(mask), extra)


def _iso_date() -> Fast:
    hint = Hint()
    return lambda raw, typed: _iso(raw, 10, pa.date32(), _FIRST_DAY, _DATE, typed, hint)


def _date(schema_field: Any) -> Fast | None:
    fmt = schema_field.format
    if fmt == "default":
        return _iso_date()
    if fmt == "any" or "%" not in fmt or _SAFE_DIRECTIVES.sub("", fmt).count("%"):
        return None

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        ok, parsed = _checked_dates(raw, pc.is_valid(raw), fmt)
        return ok, pc.cast(where(ok, parsed), pa.date32())

    return fast


def _time(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
    ok = pc.match_substring_regex(raw, _TIME)
    if not typed:
        return ok, None
    text = where(ok, raw)
    parts = [pc.cast(pc.utf8_slice_codeunits(text, start, start + 2), pa.int64())
             for start in (0, 3, 6)]
    seconds = pc.add(pc.add(pc.multiply(parts[0], 3600), pc.multiply(parts[1], 60)), parts[2])
    micros = pc.multiply(seconds, 1_000_000)
    return ok, pc.cast(micros, pa.time64("us"))


def _iso_datetime() -> Fast:
    hint = Hint()

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        ok, values = _iso(raw, 19, pa.timestamp("s"), _FIRST_SECOND, _DATETIME, typed, hint)
        return ok, pc.cast(values, pa.timestamp("us")) if values is not None else None

    return fast


def _boolean(schema_field: Any) -> Fast:
    true_values = pa.array([str(v) for v in schema_field.true_values], pa.string())
    false_values = pa.array([str(v) for v in schema_field.false_values], pa.string())
    both = pa.concat_arrays([true_values, false_values])

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        if not typed:
            return member(raw, both), None
        is_true = member(raw, true_values)
        ok = pc.or_(is_true, member(raw, false_values))
        return ok, where(ok, is_true)

    return fast


def _geopoint(schema_field: Any) -> Fast | None:
    """Default format "lon, lat": one comma, each side (ASCII spaces trimmed,
    a subset of str.strip) read as a number would be, strictly inside the
    ranges (a float on a bound may round a Decimal just beyond it)."""
    if schema_field.format != "default":
        return None
    hints = Hint(), Hint()

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        one = pc.equal(pc.count_substring(raw, ","), 1)
        parts = pc.split_pattern(where(one, raw), ",", max_splits=1)
        ok = pc.fill_null(one, False)
        for index, (hint, bound) in enumerate(zip(hints, (180.0, 90.0), strict=True)):
            side = pc.ascii_trim_whitespace(pc.list_element(parts, index))
            read, values = _decimal(side, True, hint)
            assert values is not None
            inside = pc.and_(pc.greater(values, -bound), pc.less(values, bound))
            ok = pc.and_(ok, pc.fill_null(pc.and_(read, inside), False))
        return ok, None

    return fast


# A subset of what validators.email (frictionless's "email" format) accepts:
# a dot-atom of ASCII letters, digits and _+- before the one @, then labels of
# letters, digits and inner hyphens, ending in a letters-only top-level label.
# Up to 64 bytes in all, so that neither part reaches its length limit.
_EMAIL = (r"^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*"
          r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
_EMAIL_BYTES = 64


def _email(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
    ok = pc.and_(pc.less_equal(pc.binary_length(raw), _EMAIL_BYTES),
                 pc.match_substring_regex(raw, _EMAIL))
    return ok, raw if typed else None


def _string(schema_field: Any) -> Fast | None:
    if schema_field.format == "email":
        return _email
    if schema_field.format != "default":
        return None
    return lambda raw, typed: (pc.is_valid(raw), raw)


def _utc_suffix(inner: Fast) -> Fast:
    """Default datetimes also as YYYY-MM-DDThh:mm:ssZ: dateutil reads such a
    cell as it reads its first 19 bytes, in UTC, so `inner` decides those
    bytes. Only where no values are wanted: frictionless's values of these
    cells carry a time zone, which keys and bounds compare by; typed, they
    are left to the cell reader as before."""

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        if typed or raw.type not in (pa.string(), pa.large_string()):
            return inner(raw, typed)
        zulu = pc.and_(pc.equal(pc.binary_length(raw), 20),
                       pc.fill_null(pc.ends_with(raw, "Z"), False))
        if not zulu.true_count:
            return inner(raw, typed)
        # a 20-byte cell ending in Z: its first 19 code units are its first 19
        # bytes unless it holds a non-ASCII character, and then it is no date
        return inner(pc.if_else(zulu, pc.utf8_slice_codeunits(raw, 0, 19), raw), typed)

    return fast


def _either(compiled: Fast, arrow: Fast) -> Fast:
    """`compiled` where the kernels can read the cells, else `arrow`."""
    return lambda raw, typed: (compiled if native.readable(raw) else arrow)(raw, typed)


def _compiled(name: str, kind: pa.DataType, then: pa.DataType | None = None) -> Fast:
    """The kernel `name`; `then`: the type the values are cast to."""

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        ok, values = native.read(name, raw, kind)
        if not typed:
            return ok, None
        return ok, pc.cast(values, then) if then is not None else values

    return fast


def _compiled_boolean(schema_field: Any) -> Fast:
    true_values = [str(v) for v in schema_field.true_values]
    both = pa.array(true_values + [str(v) for v in schema_field.false_values], pa.string())

    def fast(raw: pa.Array, typed: bool) -> tuple[pa.Array, pa.Array | None]:
        ok, true = native.members(raw, both, len(true_values))
        return ok, true if typed else None

    return fast


def fast_path(schema_field: Any) -> Fast | None:
    """The compiled readers where the extension is built and has one for the
    field, else the Arrow path (None: every cell goes to the cell reader)."""
    arrow = _arrow_fast_path(schema_field)
    if arrow is None or not native.available():
        return arrow
    kind, fmt = schema_field.type, schema_field.format
    compiled = {
        "integer": lambda: _compiled("integers", pa.int64()),
        "year": lambda: _compiled("years", pa.int64()),
        "time": lambda: _compiled("times", pa.time64("us")),
        "datetime": lambda: _compiled("datetimes", pa.timestamp("s"), pa.timestamp("us")),
        "boolean": lambda: _compiled_boolean(schema_field),
    }
    if kind == "date" and fmt == "default":
        return _either(_compiled("dates", pa.date32()), arrow)
    if kind == "datetime":
        return _utc_suffix(_either(compiled[kind](), _iso_datetime()))
    if kind in compiled:
        return _either(compiled[kind](), arrow)
    return arrow  # numbers choose inside (group and decimal characters first)


def _arrow_fast_path(schema_field: Any) -> Fast | None:
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
        return _utc_suffix(_iso_datetime()) if schema_field.format == "default" else None
    if kind == "geopoint":
        return _geopoint(schema_field)
    return None
