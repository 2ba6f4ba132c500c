"""k-anonymise's combinations as the workers count them (publisher.cluster.quasi):
records cut into ranges anywhere, counted range by range and summed in file order,
give what counting them all at once gives, and what pandas' grouping of the values
(missing apart from "") gives; no cluster needed."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.cluster.quasi import FIRST, RECORDS, add_combinations, spread_of

VALUES = st.sampled_from([None, "", "a", "b", "ä", "2024-01-01T10:00:00Z", "a,b"])


def _expected(frame: pd.DataFrame, names: list[str]) -> list[tuple[object, ...]]:
    grouped = pd.Series(np.arange(len(frame))).groupby(
        [frame[c] for c in names], sort=False, dropna=False)
    sizes, first = grouped.size(), grouped.min()
    out = []
    for key, size, row in zip(sizes.index, sizes.to_numpy(), first.to_numpy(), strict=True):
        values = key if isinstance(key, tuple) else (key,)
        out.append((*(None if pd.isna(v) else v for v in values), int(size), int(row)))
    return out


def _got(counts: pa.Table, names: list[str]) -> list[tuple[object, ...]]:
    keys = [n for n in counts.column_names if n not in (RECORDS, FIRST)]
    assert len(keys) == len(names)
    columns = [counts.column(k).to_pylist() for k in keys]
    return list(zip(*columns, counts.column(RECORDS).to_pylist(),
                    counts.column(FIRST).to_pylist(), strict=True))


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(VALUES, VALUES), min_size=1, max_size=60),
       cuts=st.lists(st.integers(0, 60), max_size=5))
def test_ranges_summed_in_file_order_count_as_all_at_once(
        rows: list[tuple[str | None, str | None]], cuts: list[int]) -> None:
    names = ["when", "what"]
    table = pa.table({"when": pa.array([r[0] for r in rows], pa.string()),
                      "what": pa.array([r[1] for r in rows], pa.string())})
    bounds = sorted({0, len(rows), *(c for c in cuts if c < len(rows))})
    parts = [spread_of(table.slice(lo, hi - lo), names)
             for lo, hi in itertools.pairwise(bounds)]
    summed = add_combinations(parts)
    whole = spread_of(table, names)
    assert summed.rows == whole.rows == len(rows)
    frame = pd.DataFrame({c: pd.Series(table.column(c).to_pylist(), dtype=object)
                          for c in names})
    assert _got(summed.counts, names) == _got(whole.counts, names) == _expected(frame, names)
