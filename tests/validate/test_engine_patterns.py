"""Fixed-width patterns: every cell the byte test accepts, frictionless accepts.

Cells are random strings over an alphabet of near misses (other digits,
Unicode digits, a trailing newline, case changes), plus strings generated to
match; the byte test must never accept a cell the field's own frictionless
reader rejects, and must accept every ASCII cell that fully matches. The
tests that read cells run on both routes: the compiled kernel and numpy.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

import frictionless as fl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.validate.engine import native
from publisher.validate.engine.patterns import fixed_width

ROUTES = ["compiled", "numpy"]


def _on(route: str) -> Any:
    return native.disabled() if route == "numpy" else contextlib.nullcontext()

PATTERNS = ["S[0-9]{3}", "[0-9]{5}", "DE\\d{4}", "[A-Z]{2}-[0-9]{2}", "\\.[a-f0-9]{2}",
            "x{0}y", "[0-9]{2}\\/[0-9]", "[a-c-]z", "[]a]b"]
ALPHABET = "S0123456789DExyzABab-./]\n\u0663fcZ "


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_byte_test_agrees_with_frictionless(route: str, pattern: str,
                                            data: st.DataObject) -> None:
    matching = data.draw(st.lists(st.from_regex(f"\\A(?:{pattern})\\Z", alphabet=st.characters(
        codec="ascii")), max_size=20))
    noise = data.draw(st.lists(st.text(alphabet=ALPHABET, max_size=8), max_size=40))
    cells = matching + noise
    field = fl.Field.from_descriptor({"name": "f", "type": "string",
                                      "constraints": {"pattern": pattern}})
    reader = field.create_cell_reader()
    test = fixed_width(pattern)
    assert test is not None
    with _on(route):
        accepted = test(pa.array([*cells, None], pa.string())).to_pylist()
    assert accepted[-1] is False
    for cell, ok in zip(cells, accepted, strict=False):
        if ok:
            assert not reader(cell)[1], f"{pattern}: accepts {cell!r}, frictionless does not"
        elif cell.isascii() and re.fullmatch(pattern, cell):
            raise AssertionError(f"{pattern}: leaves out the plain match {cell!r}")


@pytest.mark.parametrize("pattern", ["a|b", "[^0-9]{3}", "x+", "a{2,3}", "(ab)", "ü{2}",
                                     "a.b", "[\\w]", "\\w", "a{2}{3}", ""])
def test_other_patterns_keep_the_regular_expression(pattern: str) -> None:
    assert fixed_width(pattern) is None


@pytest.mark.parametrize("route", ROUTES)
def test_sliced_arrays_are_read_at_their_offset(route: str) -> None:
    test = fixed_width("[0-9]{2}")
    assert test is not None
    array = pa.array(["xx", "12", "1", "34", "abc"], pa.string()).slice(1, 3)
    with _on(route):
        assert test(array).to_pylist() == [True, False, True]


@pytest.mark.parametrize("pattern", PATTERNS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_cells_all_of_one_width_read_as_a_matrix_agree(pattern: str, data: st.DataObject) -> None:
    """numpy reads cells all of one width as a byte matrix, others one by one,
    the compiled kernel both alike: all three agree."""
    test = fixed_width(pattern)
    assert test is not None
    example = data.draw(st.from_regex(f"\\A(?:{pattern})\\Z",
                                      alphabet=st.characters(codec="ascii")))
    width = len(example)
    same = st.text(alphabet=ALPHABET, min_size=width, max_size=width).filter(
        lambda cell: len(cell.encode()) == width)
    cells = [example, *data.draw(st.lists(same, max_size=30))]
    offset = data.draw(st.integers(0, 2))
    padded = pa.array(["x" * width] * offset + cells, pa.string()).slice(offset)
    with native.disabled():
        as_matrix = test(padded).to_pylist()
        cell_by_cell = test(pa.array([*cells, "too long by far"], pa.string())).to_pylist()[:-1]
    assert as_matrix == cell_by_cell == test(padded).to_pylist()
    assert as_matrix[0] is True
