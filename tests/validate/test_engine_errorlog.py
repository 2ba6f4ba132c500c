"""The engine's error log: counts every error, lists the first in report order."""

from __future__ import annotations

import numpy as np

from publisher.validate.engine.cells import PHASE_CELL, PHASE_PK, ErrorLog, Kind

TYPE = Kind(PHASE_CELL, 2, "type-error", "b", "type is integer", "x")
RANGE = Kind(PHASE_CELL, 2, "constraint-error", "b", "minimum is 0", "x")
FIRST = Kind(PHASE_CELL, 1, "type-error", "a", "type is date", "y")
KEY = Kind(PHASE_PK, 0, "primary-key", None, "the same as in an earlier row")


def _listed(log: ErrorLog) -> list[tuple[int, str, str | None]]:
    rows, which = log.kept()
    return [(row, log.kinds[k].code, log.kinds[k].field_name)
            for row, k in zip(rows.tolist(), which.tolist(), strict=True)]


def test_errors_are_listed_by_row_then_phase_then_field() -> None:
    log = ErrorLog(limit=100)
    log.add_rows(np.array([9, 3]), KEY)
    log.add_rows(np.array([3, 7]), TYPE)
    log.add_rows(np.array([3]), FIRST)
    assert _listed(log) == [(3, "type-error", "a"), (3, "type-error", "b"),
                            (3, "primary-key", None), (7, "type-error", "b"),
                            (9, "primary-key", None)]


def test_errors_of_one_cell_keep_the_order_they_were_added_in() -> None:
    log = ErrorLog(limit=100)
    log.add_rows(np.array([5, 6]), TYPE)
    log.add_rows(np.array([5]), RANGE)
    assert _listed(log) == [(5, "type-error", "b"), (5, "constraint-error", "b"),
                            (6, "type-error", "b")]


def test_beyond_the_limit_errors_are_counted_and_the_earliest_rows_listed() -> None:
    log = ErrorLog(limit=3)
    for start in (100, 50, 10, 1):  # later blocks first: held errors get pruned
        log.add_rows(np.arange(start, start + 4), TYPE)
    assert log.total == 16
    assert log.counts == {"type-error": 16}
    assert [row for row, _, _ in _listed(log)] == [1, 2, 3]


def test_a_merged_block_is_shifted_and_its_kinds_shared() -> None:
    whole, block = ErrorLog(limit=10), ErrorLog(limit=10)
    whole.add_rows(np.array([4]), TYPE)
    block.add_rows(np.array([2, 3]), TYPE)
    block.add_rows(np.array([2]), FIRST)
    whole.merge(block, shift=100)
    assert len(whole.kinds) == 2
    assert _listed(whole) == [(4, "type-error", "b"), (102, "type-error", "a"),
                              (102, "type-error", "b"), (103, "type-error", "b")]
    assert whole.total == 4


def test_rows_are_mapped_to_the_file_rows_of_ragged_files() -> None:
    log = ErrorLog(limit=10)
    log.add_rows(np.array([2, 4]), TYPE)
    log.map_rows(np.array([2, 5, 6, 9]))  # Arrow row k + 2 -> file row
    assert [row for row, _, _ in _listed(log)] == [2, 6]


def _render(kinds: list[Kind], rows: np.ndarray, which: np.ndarray) -> list[str]:
    return [f"{kinds[k].code}@{row}" for row, k in zip(rows.tolist(), which.tolist(),
                                                       strict=True)]


def test_errors_rendered_at_merge_are_listed_in_place_of_later_ones() -> None:
    calls: list[int] = []

    def counting(kinds: list[Kind], rows: np.ndarray, which: np.ndarray) -> list[str]:
        calls.append(len(rows))
        return _render(kinds, rows, which)

    whole, block = ErrorLog(limit=10), ErrorLog(limit=10)
    block.add_rows(np.array([3, 2]), TYPE)
    whole.merge(block, shift=10, render=counting)
    whole.add_rows(np.array([5]), KEY)  # added after the pass, like the integrity checks
    assert whole.listed(counting) == ["primary-key@5", "type-error@12", "type-error@13"]
    assert calls == [2, 1]  # the merged block once, at merge; the key error at the end


def test_rows_mapped_after_rendering_are_rendered_again() -> None:
    whole, block = ErrorLog(limit=10), ErrorLog(limit=10)
    block.add_rows(np.array([2, 3]), TYPE)
    whole.merge(block, render=_render)
    whole.map_rows(np.array([2, 7]))
    assert whole.listed(_render) == ["type-error@2", "type-error@7"]


def test_pruned_errors_are_rendered_from_what_is_held() -> None:
    whole = ErrorLog(limit=2)
    for start in (20, 10, 1):
        block = ErrorLog(limit=2)
        block.add_rows(np.array([start, start + 1]), TYPE)
        whole.merge(block, render=_render)
    assert whole.listed(_render) == ["type-error@1", "type-error@2"]
    assert whole.total == 6


def test_blocks_beyond_the_limit_are_counted_but_not_rendered() -> None:
    rendered: list[int] = []

    def counting(kinds: list[Kind], rows: np.ndarray, which: np.ndarray) -> list[str]:
        rendered.extend(rows.tolist())
        return _render(kinds, rows, which)

    whole = ErrorLog(limit=5)
    for first in range(0, 40, 4):  # ten blocks of four rows, each row an error
        block = ErrorLog(limit=5)
        block.add_rows(np.arange(2, 6), TYPE)
        whole.merge(block, shift=first, render=counting)
    assert whole.total == 40
    assert rendered == [2, 3, 4, 5, 6]
    whole.add_rows(np.array([3]), KEY)  # an integrity error pushes the last one out
    assert whole.listed(counting) == ["type-error@2", "type-error@3", "primary-key@3",
                                      "type-error@4", "type-error@5"]
