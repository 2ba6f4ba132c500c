"""Scoring reported spans against the planted ones.

- A planted identifier is found when a reported span of the same kind
  overlaps it (recall); it is whole when one reported span of any kind
  covers all of it (what a redaction would remove).
- A reported span is a false positive when it overlaps no planted identifier
  of any kind, or when it overlaps a decoy (precision, per reported kind).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

SPAN = ["row", "start", "end"]


def _overlaps(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Pairs (index in left, index in right) of spans in the same row that overlap."""
    a = left[SPAN].reset_index(names="i")
    b = right[SPAN].reset_index(names="j")
    pairs = a.merge(b, on="row", suffixes=("_a", "_b"))
    hit = (pairs["start_a"] < pairs["end_b"]) & (pairs["start_b"] < pairs["end_a"])
    return pairs[hit]


def mark(found: pd.DataFrame, planted: pd.DataFrame,
         decoys: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`found` with a column `fp`; `planted` with columns `hit` and `whole`.

    `found` needs kind, row, start, end; `planted` kind, row, start, end;
    `decoys` row, start, end. Indexes may be anything unique.
    """
    found = found.reset_index(drop=True)
    planted = planted.reset_index(drop=True)
    pairs = _overlaps(found, planted)
    pairs = pairs.assign(kind_f=found["kind"].to_numpy()[pairs["i"].to_numpy()],
                         kind_p=planted["kind"].to_numpy()[pairs["j"].to_numpy()])
    on_decoy = _overlaps(found, decoys)["i"].unique() if len(decoys) else np.array([], int)
    fp = ~found.index.isin(pairs["i"].unique()) | found.index.isin(on_decoy)
    same = pairs[pairs["kind_f"] == pairs["kind_p"]]
    covers = pairs[(pairs["start_a"] <= pairs["start_b"]) & (pairs["end_a"] >= pairs["end_b"])]
    return (found.assign(fp=fp),
            planted.assign(hit=planted.index.isin(same["j"].unique()),
                           whole=planted.index.isin(covers["j"].unique())))


def score(found: pd.DataFrame, planted: pd.DataFrame, decoys: pd.DataFrame,
          kinds: Iterable[str] | None = None) -> pd.DataFrame:
    """Per kind: planted, hit, recall, whole, reported, fp, precision.

    Recall is NaN for a kind with nothing planted, precision for a kind with
    nothing reported. `kinds` fixes the rows (default: every kind seen).
    """
    f, p = mark(found, planted, decoys)
    names = list(kinds) if kinds is not None else sorted(set(f["kind"]) | set(p["kind"]))
    by_p = p.groupby("kind").agg(planted=("hit", "size"), hit=("hit", "sum"),
                                 whole=("whole", "sum"))
    by_f = f.groupby("kind").agg(reported=("fp", "size"), fp=("fp", "sum"))
    table = by_p.join(by_f, how="outer").reindex(names).fillna(0).astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = table["hit"] / table["planted"].where(table["planted"] > 0)
        whole = table["whole"] / table["planted"].where(table["planted"] > 0)
        precision = 1 - table["fp"] / table["reported"].where(table["reported"] > 0)
    return table.assign(recall=recall, whole_share=whole, precision=precision)


def micro(table: pd.DataFrame) -> tuple[float, float]:
    """Recall and precision over all the table's kinds together."""
    planted, reported = int(table["planted"].sum()), int(table["reported"].sum())
    recall = table["hit"].sum() / planted if planted else float("nan")
    precision = 1 - table["fp"].sum() / reported if reported else float("nan")
    return float(recall), float(precision)
