"""Duplicate finding for unique fields and primary keys, against a plain loop."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from publisher.validate.engine.integrity import _later_duplicates


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
