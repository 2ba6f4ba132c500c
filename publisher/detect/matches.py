"""Matches of a scan as numpy columns: overlaps resolved and cells mapped to rows
with vectorised operations, so nothing costs Python time per cell or per match
but where matches overlap.

A scan looks at each distinct text of a column once (publisher.detect.scan), so
its matches name a cell of the distinct texts; `to_rows` repeats them for every
row that holds that text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

MATCH_COLUMNS = ("kind", "row", "start", "end", "value")


@dataclass(frozen=True)
class Matches:
    """Confirmed identifiers, one entry per match: `kind` indexes `kinds`, `cell` is
    a position in the scanned array, `start`/`end` character offsets (end exclusive)
    and `value` the matched text (raw, for the caller to mask before it is shown)."""

    kinds: tuple[str, ...]
    kind: np.ndarray  # int64 index into kinds
    cell: np.ndarray  # int64
    start: np.ndarray  # int64
    end: np.ndarray  # int64
    value: np.ndarray  # object (str)

    def __len__(self) -> int:
        return len(self.cell)

    def take(self, index: np.ndarray) -> Matches:
        return Matches(self.kinds, self.kind[index], self.cell[index], self.start[index],
                       self.end[index], self.value[index])

    def frame(self) -> pd.DataFrame:
        """The DataFrame detect() returns: kind, row, start, end, value."""
        if not len(self):
            return empty_frame()
        names = np.asarray(self.kinds, dtype=object)[self.kind]
        return pd.DataFrame({"kind": names.tolist(), "row": self.cell, "start": self.start,
                             "end": self.end, "value": self.value.tolist()},
                            columns=list(MATCH_COLUMNS))


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({"kind": pd.Series(dtype=object), "row": pd.Series(dtype=np.int64),
                         "start": pd.Series(dtype=np.int64), "end": pd.Series(dtype=np.int64),
                         "value": pd.Series(dtype=object)}, columns=list(MATCH_COLUMNS))


def gather(kinds: Sequence[str], parts: Sequence[tuple[list[int], list[int], list[int],
                                                            list[str]]]) -> Matches:
    """One Matches from each kind's (cells, starts, ends, values), in the order of
    `kinds`; the order within a kind is kept."""
    sizes = [len(part[0]) for part in parts]
    value = np.empty(sum(sizes), dtype=object)
    value[:] = [v for part in parts for v in part[3]]

    def column(i: int) -> np.ndarray:
        return np.array([x for part in parts for x in part[i]], dtype=np.int64)

    return Matches(tuple(kinds), np.repeat(np.arange(len(kinds), dtype=np.int64), sizes),
                   column(0), column(1), column(2), value)


def resolve(m: Matches, priority: np.ndarray, weak: np.ndarray) -> Matches:
    """Drop matches that overlap a longer (or equally long, higher-priority) one in
    their cell; a weak kind's match (`weak[kind]`) gives way to any other kind's,
    whatever their lengths. Ties keep the earlier match (kind order, then position).

    Only the cells where two matches touch are resolved one match at a time; in the
    others every match stays."""
    if len(m) < 2:
        return m
    by_cell = np.lexsort((m.start, m.cell))
    cell, start, end = m.cell[by_cell], m.start[by_cell], m.end[by_cell]
    # the furthest end of the earlier matches of the same cell: offsets per cell keep
    # the running maximum from crossing into the next cell
    span = int(end.max()) + 1
    reach = np.maximum.accumulate(end + cell * span)
    clash = np.zeros(len(m), dtype=bool)
    clash[1:] = (cell[1:] == cell[:-1]) & (start[1:] + cell[1:] * span < reach[:-1])
    if not clash.any():
        return m
    crowded = np.isin(m.cell, np.unique(cell[clash]))
    candidates = np.flatnonzero(crowded)  # in the original order, for the ties
    length = m.end[candidates] - m.start[candidates]
    kind = m.kind[candidates]
    order = candidates[np.lexsort((priority[kind], -length, weak[kind].astype(np.int8),
                                   m.cell[candidates]))]
    keep = ~crowded
    taken: dict[int, list[tuple[int, int]]] = {}
    # a loop over the matches of crowded cells only: they are few
    for i, c, s, e in zip(order.tolist(), m.cell[order].tolist(), m.start[order].tolist(),
                          m.end[order].tolist(), strict=True):
        spans = taken.setdefault(c, [])
        if any(s < e2 and s2 < e for s2, e2 in spans):
            continue
        spans.append((s, e))
        keep[i] = True
    return m.take(np.flatnonzero(keep))


def to_rows(m: Matches, cells: np.ndarray | None) -> Matches:
    """The matches per row, sorted by row and start (ties in the given order).

    `cells[row]` is the distinct text a row holds (-1: a missing value); None when
    each row was scanned as its own cell."""
    if cells is None:
        return m.take(np.lexsort((m.start, m.cell)))
    if not len(m):
        return m
    n_cells = max(int(m.cell.max()), int(cells.max(initial=-1))) + 1
    by_cell = np.lexsort((m.start, m.cell))
    per_cell = np.bincount(m.cell, minlength=n_cells + 1)  # the last: missing values
    first = np.concatenate(([0], np.cumsum(per_cell)[:-1]))
    held = np.where(cells >= 0, cells, n_cells)
    counts = per_cell[held]
    rows = np.flatnonzero(counts)
    repeat = counts[rows]
    starts = np.repeat(first[held[rows]], repeat)
    within = np.arange(int(repeat.sum())) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    out = m.take(by_cell[starts + within])
    return Matches(out.kinds, out.kind, np.repeat(rows, repeat).astype(np.int64), out.start,
                   out.end, out.value)
