"""The compiled cell readers (native/, the publisher_kernels extension).

Each kernel is held to the promise of a fast path (fast.py): a cell it takes,
frictionless takes too, with the same value. Beyond what the fast-path tests
in test_engine_fast_paths.py fuzz through both routes, these pin the kernels'
own edges: long mantissas and exponents, times and years, set lookups with
long, non-ASCII and many values, null and sliced arrays, and that the plain
cells of real files are taken at all (or every block would go the slow way).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import frictionless as fl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.validate.engine import native
from publisher.validate.engine.arrays import to_numpy_bool
from publisher.validate.engine.cells import _positions
from publisher.validate.engine.fast import fast_path, member


def test_the_extension_is_built() -> None:
    """`make install` builds it (pip install ./native); without it the engine
    is right but slower, and the compiled route would go untested."""
    assert native.available(), "publisher_kernels is not installed: pip install ./native"


def _field(kind: str, **extra: Any) -> Any:
    return fl.Field.from_descriptor({"name": "f", "type": kind, **extra})


def _taken(kind: str, cells: list[str | None], **extra: Any) -> tuple[list[bool], list[Any]]:
    fast = fast_path(_field(kind, **extra))
    assert fast is not None
    ok, values = fast(pa.array(cells, pa.string()), True)
    assert values is not None
    return to_numpy_bool(ok).tolist(), values.to_pylist()


PLAIN = {
    "integer": ["0", "42", "-7", "007", "123456789012345678"],
    "number": ["1", "-2.5", ".5", "5.", "-.25", "1e3", "2.5E-3", "0", "-0", "1e-300"],
    "date": ["2024-02-29", "0001-01-01", "9999-12-31", "1970-01-01"],
    "datetime": ["2024-01-01T00:00:00", "2024-12-31 23:59:59"],
    "time": ["00:00:00", "23:59:59", "12:30:05"],
    "year": ["2024", "0001", "1970"],
    "boolean": ["true", "false", "True", "FALSE", "1", "0"],
}


@pytest.mark.parametrize("kind", sorted(PLAIN))
def test_plain_cells_are_taken_with_frictionless_values(kind: str) -> None:
    cells = PLAIN[kind]
    ok, values = _taken(kind, list(cells))
    assert all(ok), dict(zip(cells, ok, strict=True))
    reader = _field(kind).create_cell_reader()
    for cell, value in zip(cells, values, strict=True):
        expected = reader(cell)[0]
        if isinstance(expected, Decimal):
            expected = float(expected)
        assert value == expected, cell


NOT_TAKEN = {
    "integer": ["", "-", "+1", "1.0", " 1", "1234567890123456789", "١٢", "0x1"],
    "number": ["", ".", "-", "e5", "1e", "1e1234", "+1", "1,5", "1e400", "1" + "0" * 400,
               "0." + "0" * 400 + "1", "nan", "inf", " 1"],
    "date": ["2023-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01",
             "2024-1-01", "2024/01/01", "2024-01-01 "],
    "datetime": ["2024-01-01T24:00:00", "2024-01-01T00:60:00", "2024-01-01T00:00:60",
                 "2024-01-01X00:00:00", "2024-01-01T00:00:00Z", "2023-02-29T00:00:00"],
    "time": ["24:00:00", "23:60:00", "23:59:60", "1:00:00", "12:00", "12-00-00"],
    "year": ["202", "20245", "-202", "2O24"],
    "boolean": ["yes", "", "TRUE ", "t"],
}


@pytest.mark.parametrize("kind", sorted(NOT_TAKEN))
def test_cells_outside_the_shapes_are_left_to_the_reader(kind: str) -> None:
    ok, _ = _taken(kind, [*NOT_TAKEN[kind], None])
    assert not any(ok), dict(zip([*NOT_TAKEN[kind], None], ok, strict=True))


DECIMALS = st.builds(
    lambda sign, whole, point, fraction, exponent: f"{sign}{whole}{point}{fraction}{exponent}",
    st.sampled_from(["", "-"]),
    st.text(alphabet="0123456789", max_size=25),
    st.sampled_from(["", "."]),
    st.text(alphabet="0123456789", max_size=25),
    st.sampled_from(["", "e", "E-", "e+"]).flatmap(
        lambda e: st.just("") if not e else st.integers(0, 999).map(lambda n: f"{e}{n}")))


@settings(max_examples=500)
@given(st.lists(DECIMALS, min_size=1, max_size=30))
def test_numbers_read_as_python_reads_the_decimal(cells: list[str]) -> None:
    """Clinger's fast path and the fallback parser both round as float(Decimal)."""
    ok, values = _taken("number", cells)
    for cell, taken, value in zip(cells, ok, values, strict=True):
        if taken:
            assert value == float(Decimal(cell)) + 0.0, cell
            assert str(value) != "-0.0", cell


TIMEISH = st.builds(lambda h, m, s, sep: f"{h:02d}{sep}{m:02d}{sep}{s:02d}",
                    st.integers(0, 30), st.integers(0, 70), st.integers(0, 70),
                    st.sampled_from([":", ":", "-", "."]))


def _subset(kind: str, cells: list[str]) -> None:
    ok, values = _taken(kind, cells)
    reader = _field(kind).create_cell_reader()
    for cell, taken, value in zip(cells, ok, values, strict=True):
        if taken:
            expected, notes = reader(cell)
            assert not notes and value == expected, cell


@settings(max_examples=200)
@given(st.lists(TIMEISH, min_size=1, max_size=30))
def test_times_are_a_subset_of_frictionless(cells: list[str]) -> None:
    _subset("time", cells)


@settings(max_examples=200)
@given(st.lists(st.text(alphabet="0123456789-+ x", max_size=6), min_size=1, max_size=30))
def test_years_are_a_subset_of_frictionless(cells: list[str]) -> None:
    _subset("year", cells)


def test_datetimes_count_seconds_from_the_epoch() -> None:
    ok, values = _taken("datetime", ["1969-12-31T23:59:59", "0001-01-01 00:00:00"])
    assert ok == [True, True]
    assert values == [dt.datetime(1969, 12, 31, 23, 59, 59), dt.datetime(1, 1, 1)]


WORDS = st.text(alphabet="abSüd\u00e9 \x00", max_size=12)


@settings(max_examples=300)
@given(st.lists(WORDS, min_size=1, max_size=40), st.lists(WORDS, min_size=1, max_size=24),
       st.integers(0, 3))
def test_lookup_finds_exactly_the_members(cells: list[str], values: list[str],
                                          offset: int) -> None:
    """Short values compare packed into an integer, long ones or many by hash."""
    array = pa.array(["pad"] * offset + cells, pa.string()).slice(offset)
    first = len(values) // 2
    found, early = native.members(array, pa.array(values, pa.string()), first)
    assert found.to_pylist() == [cell in values for cell in cells]
    assert early.to_pylist() == [cell in values[:first] for cell in cells]
    assert member(array, pa.array(values, pa.string())).to_pylist() == found.to_pylist()


def test_null_cells_are_never_taken_nor_members() -> None:
    cells = pa.array(["1", None, "2024-01-01", None], pa.string())
    for kind in ("integer", "number", "date"):
        fast = fast_path(_field(kind))
        assert fast is not None
        ok, _ = fast(cells, False)
        assert to_numpy_bool(ok)[[1, 3]].tolist() == [False, False]
    found, early = native.members(cells, pa.array(["1", ""], pa.string()), 1)
    assert found.to_pylist() == early.to_pylist() == [True, False, False, False]


def test_sliced_arrays_are_read_at_their_offset() -> None:
    array = pa.array(["x", "12", "y", "-3"], pa.string()).slice(1, 3)
    fast = fast_path(_field("integer"))
    assert fast is not None
    ok, values = fast(array, True)
    assert to_numpy_bool(ok).tolist() == [True, False, True]
    assert values is not None and values.to_pylist()[::2] == [12, -3]


def test_enum_of_strings_flags_the_others() -> None:
    check_field = _field("string", constraints={"enum": ["Nord", "Süd"]})
    from publisher.validate.engine.fields import build_check

    check = build_check(check_field, 1, fl.Schema.from_descriptor({"fields": []}))
    raw = pa.array(["Nord", "Sud", "Süd", "süd", ""], pa.string())
    ok = pa.array([True] * 5)
    flagged = check.candidates(raw, ok, raw)
    assert flagged is not None and flagged.to_pylist() == [False, True, False, True, True]


@settings(max_examples=200, deadline=None)
@given(flags=st.lists(st.booleans(), max_size=300), start=st.integers(0, 80))
def test_positions_are_read_off_a_sliced_mask(flags: list[bool], start: int) -> None:
    mask = pa.array(flags, pa.bool_())[start:]
    expected = [i for i, flag in enumerate(flags[start:]) if flag]
    assert native.positions(mask).tolist() == expected
    with native.disabled():
        assert _positions(mask).tolist() == expected
