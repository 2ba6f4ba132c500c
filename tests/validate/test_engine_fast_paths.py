"""Fast paths accept only cells frictionless accepts, with the same value.

Random near-miss strings (digits, signs, separators, letters) go through each
fast path in blocks; every cell it accepts must be read by the field's own
frictionless cell reader without error and to the same value. Each test runs
on both routes: the compiled kernels and Arrow alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import frictionless as fl
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.validate.engine import native
from publisher.validate.engine.arrays import to_numpy_bool
from publisher.validate.engine.fast import Hint, _decimal, fast_path

ROUTES = ["compiled", "arrow"]


def _on(route: str) -> Any:
    return native.disabled() if route == "arrow" else contextlib.nullcontext()


NUMBERISH = st.text(alphabet="0123456789.-+eE _xn/aiINF", max_size=9)
DATEISH = st.builds(
    lambda y, m, d, sep, h, mi, s, tail: f"{y:04d}-{m:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{s:02d}"
    + tail,
    st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.sampled_from("T tZ-"),
    st.integers(0, 25), st.integers(0, 61), st.integers(0, 61),
    st.sampled_from(["", "Z", "+01:00", ".5", " "]))


def _built(field: dict[str, Any]) -> tuple[Any, Any]:
    """The frictionless field and its fast path (which it must have)."""
    schema_field = fl.Field.from_descriptor(field)
    fast = fast_path(schema_field)
    assert fast is not None
    return schema_field, fast


def _agrees(field: dict[str, Any], cells: list[str]) -> None:
    schema_field = fl.Field.from_descriptor(field)
    fresh, taught = fast_path(schema_field), fast_path(schema_field)
    assert fresh is not None and taught is not None
    # A field's fast path learns from earlier blocks (bad values Arrow cannot
    # read, or that casting fails too often) and routes later blocks by it:
    # every route must accept only what frictionless accepts.
    taught(pa.array(["x", "n/a", "2023-02-29", "2023-02-29T00:00:00"], pa.string()), True)
    for fast in (fresh, taught):
        _accepted_cells_agree(schema_field, field, fast, cells)


def _accepted_cells_agree(schema_field: Any, field: dict[str, Any], fast: Any,
                          cells: list[str]) -> None:
    ok, values = fast(pa.array(cells, pa.string()), True)
    reader = schema_field.create_cell_reader()
    for index, accepted in enumerate(to_numpy_bool(ok)):
        if not accepted:
            continue
        cell, value = cells[index], values[index].as_py()
        expected, notes = reader(cell)
        assert not notes, f"{field['type']}: fast path accepts {cell!r}, frictionless does not"
        if isinstance(expected, dt.datetime):
            expected = expected.replace(tzinfo=None)
        assert value == (float(expected) if field["type"] == "number" else expected), cell


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=200)
@given(st.lists(NUMBERISH, min_size=1, max_size=40))
def test_number_fast_path_is_a_subset_of_frictionless(route: str, cells: list[str]) -> None:
    with _on(route):
        _agrees({"name": "n", "type": "number"}, cells)


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=200)
@given(st.lists(NUMBERISH, min_size=1, max_size=40))
def test_integer_fast_path_is_a_subset_of_frictionless(route: str, cells: list[str]) -> None:
    with _on(route):
        _agrees({"name": "n", "type": "integer"}, cells)


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=200)
@given(st.lists(DATEISH, min_size=1, max_size=40))
def test_datetime_fast_path_is_a_subset_of_frictionless(route: str, cells: list[str]) -> None:
    with _on(route):
        _agrees({"name": "d", "type": "datetime"}, cells)


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=200)
@given(st.lists(DATEISH.map(lambda s: s[:10]), min_size=1, max_size=40))
def test_date_fast_path_is_a_subset_of_frictionless(route: str, cells: list[str]) -> None:
    with _on(route):
        _agrees({"name": "d", "type": "date"}, cells)


@pytest.mark.parametrize("route", ROUTES)
def test_date_fast_path_rejects_roll_over_and_keeps_real_dates(route: str) -> None:
    with _on(route):
        _, fast = _built({"name": "d", "type": "date"})
        cells = ["2024-02-29", "2023-02-29", "2024-04-31", "0000-01-01", "2024-01-31", "x"]
        ok, values = fast(pa.array(cells), True)
        assert to_numpy_bool(ok).tolist() == [True, False, False, False, True, False]
        assert values[4].as_py() == dt.date(2024, 1, 31)


GEOPOINTISH = st.builds(
    lambda a, sep, b, pad: f"{pad}{a}{pad}{sep}{pad}{b}{pad}",
    NUMBERISH | st.sampled_from(["180", "-180", "90", "-90.0", "179.99999999999999999",
                                 "89.999999999999999999", "13.4", "-0"]),
    st.sampled_from([",", ", ", ";", ",,", " ,"]),
    NUMBERISH | st.sampled_from(["52.5", "90", "-90", "90.000000000000000001", "1e1"]),
    st.sampled_from(["", " ", "\t", "\u00a0", "\x1c"]))


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=300)
@given(st.lists(GEOPOINTISH, min_size=1, max_size=40))
def test_geopoint_fast_path_is_a_subset_of_frictionless(route: str, cells: list[str]) -> None:
    with _on(route):
        schema_field, fast = _built({"name": "g", "type": "geopoint"})
        reader = schema_field.create_cell_reader()
        ok, _ = fast(pa.array(cells, pa.string()), False)
        for cell, accepted in zip(cells, to_numpy_bool(ok), strict=True):
            if accepted:
                assert not reader(cell)[1], f"geopoint: fast path accepts {cell!r}"


@pytest.mark.parametrize("route", ROUTES)
def test_geopoint_fast_path_takes_the_plain_cells(route: str) -> None:
    with _on(route):
        _, fast = _built({"name": "g", "type": "geopoint"})
        ok, _ = fast(pa.array(["13.4,52.5", " 6.95 , 50.94 ", "180,0", "1,2,3", "x,1"]), False)
        assert to_numpy_bool(ok).tolist() == [True, True, False, False, False]


def test_number_cells_not_starting_like_a_number_are_not_cast() -> None:
    """Junk such as "x" or "n/a" never reaches the cast, so it is not learnt:
    the one value that is ("2023-02-29" starts with a digit) is."""
    hint = Hint()
    cells = ["1.5", "x", "n/a", "", "-2", ".5", "+3", "2023-02-29", "inf"]
    ok, values = _decimal(pa.array(cells, pa.string()), True, hint)
    assert to_numpy_bool(ok).tolist() == [True, False, False, False, True, True, True, False,
                                          False]
    assert values is not None and values[4].as_py() == -2.0
    assert hint.junk == ("2023-02-29",)
    ok, _ = _decimal(pa.array(["x", "2023-02-29", "7"], pa.string()), True, hint)
    assert to_numpy_bool(ok).tolist() == [False, False, True]
    assert hint.junk == ("2023-02-29",) and not hint.whole_failed


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=200)
@given(st.lists(DATEISH, min_size=1, max_size=40))
def test_datetimes_in_utc_are_a_subset_of_frictionless_without_values(
        route: str, cells: list[str]) -> None:
    """Untyped (no key, no bounds), cells ending in Z are taken too."""
    with _on(route):
        schema_field, fast = _built({"name": "d", "type": "datetime"})
        reader = schema_field.create_cell_reader()
        ok, _ = fast(pa.array(cells, pa.string()), False)
        for cell, accepted in zip(cells, to_numpy_bool(ok), strict=True):
            if accepted:
                assert not reader(cell)[1], f"datetime: fast path accepts {cell!r}"


@pytest.mark.parametrize("route", ROUTES)
def test_datetimes_in_utc_are_taken_only_without_values(route: str) -> None:
    with _on(route):
        _, fast = _built({"name": "d", "type": "datetime"})
        cells = pa.array(["2024-12-05T13:29:28Z", "2024-12-05 13:29:28Z", "2023-02-29T00:00:00Z",
                          "2024-12-05T13:29:28z", "2024-12-05T13:29:28", "2024-12-05T13:2ä:28Z",
                          None])
        ok, _ = fast(cells, False)
        assert to_numpy_bool(ok).tolist() == [True, True, False, False, True, False, False]
        ok, values = fast(cells, True)  # keys and bounds compare frictionless's aware values
        assert to_numpy_bool(ok).tolist() == [False, False, False, False, True, False, False]
        assert values is not None and values[4].as_py() == dt.datetime(2024, 12, 5, 13, 29, 28)


EMAILISH = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.text(alphabet="ab.Z09_+-!äé \"@", min_size=0, max_size=12),
    st.text(alphabet="ab.Z09-_äxn", min_size=0, max_size=16)) | st.sampled_from([
        "a@b.de", "a.b@c.d.example", "a..b@c.de", ".a@c.de", "a.@c.de", "a@-c.de", "a@c-.de",
        "a@c.d", "a@c.d1", "a@c.de.", "a@c..de", "a@c.de\n", "x" * 60 + "@c.de", "a@" + "c" * 64
        + ".de", "äb@c.de", "a@bü.de", "a@xn--bcher-kva.de", "a+b@c.de", "A@C.DE"])


@pytest.mark.parametrize("route", ROUTES)
@settings(max_examples=300)
@given(st.lists(EMAILISH, min_size=1, max_size=40))
def test_email_fast_path_is_a_subset_of_frictionless(route: str, cells: list[str]) -> None:
    with _on(route):
        _agrees({"name": "e", "type": "string", "format": "email"}, cells)


def test_email_fast_path_takes_the_plain_addresses() -> None:
    _, fast = _built({"name": "e", "type": "string", "format": "email"})
    cells = ["marie.koehler@example.org", "A+b_c-d@sub.musterstadt.example", "a@c.d",
             "a..b@c.de", "marie@köhler.de", "x" * 60 + "@c.de", "a@c.de ", None]
    ok, values = fast(pa.array(cells, pa.string()), True)
    assert to_numpy_bool(pc.fill_null(ok, False)).tolist() == [True, True, False, False, False,
                                                               False, False, False]
    assert values is not None and values[0].as_py() == cells[0]
