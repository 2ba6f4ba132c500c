"""Duplicate finding for unique fields and primary keys, against a plain loop."""

from __future__ import annotations

import itertools

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.validate.engine import native
from publisher.validate.engine.integrity import _later_duplicates, _suspects


def _expected(values: list[int], eligible: list[bool]) -> list[int]:
    seen: set[int] = set()
    later = []
    for position, (value, ok) in enumerate(zip(values, eligible, strict=True)):
        if not ok:
            continue
        if value in seen:
            later.append(position)
        seen.add(value)
    return later


@given(st.lists(st.tuples(st.integers(-5, 5) | st.integers(-(2**63), 2**63 - 1),
                          st.booleans()), max_size=60))
def test_later_duplicates_match_a_plain_loop(rows: list[tuple[int, bool]]) -> None:
    values = [v for v, _ in rows]
    eligible = np.array([ok for _, ok in rows], dtype=bool)
    ids = np.array(values, dtype=np.int64)[eligible]
    found = _later_duplicates(ids, eligible)
    assert found.tolist() == _expected(values, eligible.tolist())


def test_increasing_ids_have_no_duplicates() -> None:
    eligible = np.ones(1000, dtype=bool)
    assert not len(_later_duplicates(np.arange(1000, dtype=np.int64), eligible))


def test_duplicates_after_skipped_rows_name_the_row_position() -> None:
    eligible = np.array([True, False, True, True, False, True])
    ids = np.array([7, 8, 7, 7], dtype=np.int64)  # rows 0, 2, 3, 5
    assert _later_duplicates(ids, eligible).tolist() == [3, 5]


@st.composite
def _nearly_sorted(draw: st.DrawFn) -> tuple[list[int], list[bool]]:
    """Increasing ids (a key column) with a few cells changed: stray values,
    repeats of ids near and far, descending stretches."""
    size = draw(st.integers(2, 80))
    steps = draw(st.lists(st.integers(1, 3), min_size=size, max_size=size))
    values = np.cumsum(steps).tolist()
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, size - 1))
        values[at] = draw(st.sampled_from(values) | st.integers(-5, 250))
    eligible = draw(st.lists(st.sampled_from([True, True, True, False]),
                             min_size=size, max_size=size))
    return values, eligible


@given(_nearly_sorted())
def test_later_duplicates_of_nearly_sorted_ids_match_a_plain_loop(
        case: tuple[list[int], list[bool]]) -> None:
    values, flags = case
    eligible = np.array(flags, dtype=bool)
    ids = np.array(values, dtype=np.int64)[eligible]
    assert _later_duplicates(ids, eligible).tolist() == _expected(values, flags)


def test_a_few_stray_ids_are_looked_up_without_sorting_the_column() -> None:
    values = list(range(1, 1001))
    for at in (10, 500, 501, 900):
        values[at] = -999
    values[700] = 300  # repeats row 300's id
    ids = np.array(values, dtype=np.int64)
    eligible = np.ones(len(values), dtype=bool)
    descents = np.flatnonzero(ids[1:] <= ids[:-1])
    assert _suspects(ids, descents) is not None
    assert _later_duplicates(ids, eligible).tolist() == _expected(values, [True] * 1000)
    assert _later_duplicates(ids, eligible).tolist() == [500, 501, 700, 900]


def test_ids_out_of_order_in_long_stretches_fall_back_to_sorting() -> None:
    values = [*range(100, 200), *range(0, 150)]  # 100..149 appear twice
    ids = np.array(values, dtype=np.int64)
    descents = np.flatnonzero(ids[1:] <= ids[:-1])
    assert _suspects(ids, descents) is None
    eligible = np.ones(len(values), dtype=bool)
    assert _later_duplicates(ids, eligible).tolist() == _expected(values, [True] * len(values))


def _nulls_and_repeats(values: list[int | None]) -> tuple[list[int], list[int]]:
    nulls = [i for i, value in enumerate(values) if value is None]
    return nulls, _expected([v or 0 for v in values], [v is not None for v in values])


def _chunked(values: list[int | None], cuts: list[int], start: int) -> pa.ChunkedArray:
    """`values` in chunks that are slices of a longer array (offsets, shared bitmaps)."""
    base = pa.array([None] * start + values + [7], pa.int64())
    bounds = sorted({0, len(values), *(c % (len(values) + 1) for c in cuts)})
    return pa.chunked_array([base[start + a:start + b] for a, b in itertools.pairwise(bounds)],
                            pa.int64())


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.none() | st.integers(-3, 3) | st.integers(-(2**63), 2**63 - 1),
                    max_size=80),
    cuts=st.lists(st.integers(0, 80), max_size=4), start=st.integers(0, 9))
def test_compiled_repeats_match_a_plain_loop(values: list[int | None], cuts: list[int],
                                             start: int) -> None:
    found = native.repeated_keys(_chunked(values, cuts, start))
    if found is not None:
        assert (found[0].tolist(), found[1].tolist()) == _nulls_and_repeats(values)


@settings(max_examples=100, deadline=None)
@given(strays=st.lists(st.tuples(st.integers(0, 1999), st.none() | st.integers(-5, 2100)),
                       max_size=20),
       cuts=st.lists(st.integers(0, 2000), max_size=3))
def test_compiled_repeats_of_nearly_increasing_ids(strays: list[tuple[int, int | None]],
                                                   cuts: list[int]) -> None:
    """Ids increasing but for a few rows: the kernel's own case, never given up."""
    values: list[int | None] = list(range(2000))
    for at, value in strays:
        values[at] = value
    found = native.repeated_keys(_chunked(values, cuts, 3))
    assert found is not None
    assert (found[0].tolist(), found[1].tolist()) == _nulls_and_repeats(values)


def test_the_kernel_leaves_unsorted_and_other_columns_to_numpy() -> None:
    assert native.repeated_keys(pa.chunked_array([pa.array(range(1000, 0, -1))])) is None
    assert native.repeated_keys(pa.chunked_array([pa.array(["a", "a"])])) is None
    assert native.repeated_keys(pa.chunked_array([pa.array([1.0, 1.0])])) is None
