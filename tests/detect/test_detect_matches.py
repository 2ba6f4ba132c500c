"""A column is scanned by its distinct texts: the matches are those of each cell
scanned alone; overlaps are resolved as one match at a time would."""

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.detect import KINDS, detect
from publisher.detect.matches import Matches, resolve, to_rows
from publisher.detect.scan import Memo, find

CELLS = ["Kontakt: g.hoffmann@mail.example.de oder 0176 47637096.",
         "Herr Becker, Hauptstr. 12, IBAN DE89 3704 0044 0532 0130 00",
         "nichts Persönliches", None, ""]


def _alone(column: list[str | None]) -> pd.DataFrame:
    frames = []
    for row, text in enumerate(column):
        found = detect([text])
        found["row"] += row
        frames.append(found)
    return pd.concat(frames, ignore_index=True)


def test_repeated_texts_give_the_matches_of_each_cell_alone():
    rng = np.random.default_rng(7)
    column = [CELLS[i] for i in rng.integers(0, len(CELLS), 60)]
    found = detect(column)
    assert found.to_dict("records") == _alone(column).to_dict("records")
    assert set(found["row"]) == {i for i, text in enumerate(column) if text in CELLS[:2]}


def test_a_column_of_one_text_and_of_only_nulls():
    assert len(detect([CELLS[0]] * 5)) == 5 * len(detect([CELLS[0]]))
    assert detect([None, None]).empty


def test_verdicts_and_short_texts_are_remembered_over_calls_of_one_scan():
    memo = Memo()
    kinds = [KINDS["iban"], KINDS["email"]]
    long_text = CELLS[0] + " " * 100 + "IBAN DE89 3704 0044 0532 0130 00"
    first = find(pa.array([CELLS[1], long_text]), kinds, memo=memo)
    assert list(memo.verdicts("iban")) == [("DE89 3704 0044 0532 0130 00", False)]
    assert list(memo.texts("iban")) == [CELLS[1]]  # the long text is not kept
    assert list(memo.texts("email")) == []  # no e-mail prefilter passed it
    again = find(pa.array([CELLS[1], CELLS[1], long_text]), kinds, memo=memo)
    assert again.value.tolist() == first.value.tolist()[:1] + first.value.tolist()


def _greedy(cell, start, end, priority, weak) -> list[int]:
    """The overlap resolution as one loop over all matches (the reference)."""
    order = sorted(range(len(cell)), key=lambda i: (cell[i], weak[i], start[i] - end[i],
                                                    priority[i]))
    taken: dict[int, list[tuple[int, int]]] = {}
    keep = []
    for i in order:
        spans = taken.setdefault(cell[i], [])
        if any(start[i] < e and s < end[i] for s, e in spans):
            continue
        spans.append((start[i], end[i]))
        keep.append(i)
    return sorted(keep)


_MATCH = st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(0, 30),
                   st.integers(1, 12))  # cell, kind, start, length


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(_MATCH, max_size=40))
def test_resolve_keeps_what_a_loop_over_every_match_keeps(found):
    kinds = ("a", "b", "c", "d")
    priority = np.array([5, 1, 3, 1])
    weak = np.array([False, False, False, True])
    # in kind order, as a scan gathers them
    found = sorted(found, key=lambda m: m[1])
    cell = np.array([m[0] for m in found], dtype=np.int64)
    kind = np.array([m[1] for m in found], dtype=np.int64)
    start = np.array([m[2] for m in found], dtype=np.int64)
    end = start + np.array([m[3] for m in found], dtype=np.int64)
    value = np.array([f"v{i}" for i in range(len(found))], dtype=object)
    kept = resolve(Matches(kinds, kind, cell, start, end, value), priority, weak)
    expected = _greedy(cell.tolist(), start.tolist(), end.tolist(),
                       priority[kind].tolist(), weak[kind].tolist())
    assert kept.value.tolist() == [f"v{i}" for i in expected]


def test_to_rows_repeats_matches_for_every_row_of_their_text():
    m = Matches(("a",), np.zeros(3, np.int64), np.array([2, 0, 2]), np.array([5, 1, 0]),
                np.array([6, 2, 1]), np.array(["x", "y", "z"], dtype=object))
    rows = to_rows(m, np.array([2, -1, 0, 2, 1]))
    assert rows.cell.tolist() == [0, 0, 2, 3, 3]
    assert rows.value.tolist() == ["z", "x", "y", "z", "x"]
