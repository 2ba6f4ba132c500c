"""The summary of class sizes the rules on quasi-identifiers report
(publisher.rules._quasi.ClassSummary): in one process, the figures the rules read
off the class sizes; from a cluster's buckets (publisher.cluster.classes: ranges
counted apart, split by a hash of the values, summed bucket by bucket in file
order, summarised, combined), the summary of the whole, whatever the cut."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.cluster.classes import Bucket, bucket_summary, combine, split
from publisher.cluster.quasi import add_combinations, spread_of
from publisher.masking import mask
from publisher.package.model import Package, Resource
from publisher.passes import Passes
from publisher.rules._quasi import ClassSummary, class_summary, count_classes, summarise
from publisher.rules.k_anonymity import KAnonymity, KAnonymityParams
from publisher.rules.residual_uniqueness import ResidualUniqueness, ResidualUniquenessParams

NAMES = ["a", "b", "c"]


def _frame(rows: list[tuple[str | None, ...]], width: int) -> pd.DataFrame:
    return pd.DataFrame({n: pd.array([r[i] for r in rows], dtype="str")
                         for i, n in enumerate(NAMES[:width])})


def test_the_summary_holds_the_figures_the_rules_read_off_the_class_sizes() -> None:
    frame = _frame([("x", "1"), (None, "2"), ("y", None), ("x", "1"), (None, "2"), ("z", "1"),
                    ("x", "1"), ("x", "1"), ("y", None)], 2)
    sizes = count_classes(frame, ["a", "b"])
    assert sizes.tolist() == [4, 2, 2, 1]
    summary = summarise(sizes, 3)
    assert (summary.k, summary.records, summary.classes, summary.smallest, summary.unique,
            summary.small_classes, summary.small_records) == (3, 9, 4, 1, 1, 3, 5)
    # the first class below k in order of first appearance: the missing value first
    assert " | ".join(str(v) for v in summary.first_small) == "nan | 2"
    single = summarise(count_classes(frame, ["b"]), 5)  # one column: labels are not tuples
    assert single.first_small == ("2",) and single.smallest == 2
    assert summarise(pd.Series(dtype="int64"), 5) == ClassSummary(
        k=5, records=0, classes=0, smallest=0, unique=0, small_classes=0, small_records=0,
        first_small=None)
    assert summarise(sizes, 2).first_small == ("z", "1")


class Answering(Passes):
    def __init__(self, answer: ClassSummary | None):
        self.answer = answer

    def class_summary(self, resource: Resource, columns: list[str], k: int
                      ) -> ClassSummary | None:
        return self.answer


def test_the_summary_of_the_passes_is_taken_and_counted_here_when_they_decline() -> None:
    table = _frame([("x", "1"), ("x", "1"), ("y", "2")], 2)
    table.index = pd.RangeIndex(2, 5)
    resource = Resource(name="t", format="csv", descriptor={"name": "t"}, data=table)
    here = class_summary(resource, ["a", "b"], 2)
    assert (here.records, here.classes, here.unique, here.first_small) == (3, 2, 1, ("y", "2"))
    assert class_summary(resource, ["a", "b"], 2, Answering(None)) == here
    told = replace(here, records=7)
    assert class_summary(resource, ["a", "b"], 2, Answering(told)) is told


VALUES = st.sampled_from(["a", "b", "c", "", None])


@st.composite
def cut_frames(draw: st.DrawFn) -> tuple[pd.DataFrame, list[int], int, int, int]:
    """A frame of 2-3 text columns with missing values, its cut points, the buckets,
    the fan-in of the buckets' trees and k."""
    width = draw(st.integers(2, 3))
    rows = draw(st.lists(st.tuples(*[VALUES] * width), min_size=1, max_size=60))
    # a large class first, so that the first small classes come in later ranges
    rows = [rows[0]] * draw(st.integers(0, 12)) + rows
    cuts = sorted(draw(st.lists(st.integers(0, len(rows)), max_size=6)))
    return (_frame(rows, width), cuts, draw(st.integers(1, 5)), draw(st.integers(2, 4)),
            draw(st.integers(2, 5)))


def _on_buckets(frame: pd.DataFrame, cuts: list[int], buckets: int, fan_in: int, k: int
                ) -> ClassSummary:
    """What the workers compute, in this process."""
    names = list(frame.columns)
    bounds = [0, *cuts, len(frame)]
    ranges = [split(spread_of(pa.Table.from_pandas(frame.iloc[s:e], preserve_index=False),
                              names), buckets)
              for s, e in pairwise(bounds)]
    roots: list[Bucket] = []
    for bucket in range(buckets):
        tree = [parts[bucket] for parts in ranges]
        while len(tree) > 1:
            tree = [add_combinations(tree[i:i + fan_in]) for i in range(0, len(tree), fan_in)]
        roots.append(bucket_summary(tree[0], k))
    return combine(roots, k)


@settings(max_examples=300, deadline=None, database=None)
@given(cut_frames())
def test_buckets_of_ranges_combine_to_the_summary_of_the_whole(
        drawn: tuple[pd.DataFrame, list[int], int, int, int]) -> None:
    frame, cuts, buckets, fan_in, k = drawn
    whole = summarise(count_classes(frame, list(frame.columns)), k)
    combined = _on_buckets(frame, cuts, buckets, fan_in, k)
    assert replace(combined, first_small=None) == replace(whole, first_small=None)
    # nan is not equal to itself: compare the values as the rule shows them
    assert repr(combined.first_small) == repr(whole.first_small)


def _before(frame: pd.DataFrame, columns: list[str], k: int
            ) -> tuple[dict[str, object], tuple[str, str] | None, tuple[int, int]]:
    """What the two rules read off the class sizes before the summary: k-anonymity's
    figures and its finding's message and sample; residual uniqueness's records and
    unique records."""
    sizes = count_classes(frame, columns)
    small = sizes[sizes < k]
    stats = {"quasi_identifiers": columns, "classes": len(sizes),
             "min_class": int(sizes.min()) if len(sizes) else 0,
             "records_at_risk": int(small.sum())}
    found = None
    if not small.empty:
        label = small.index[0]
        values = label if isinstance(label, tuple) else (label,)
        found = (f"{int(small.sum())} records fall in {len(small)} combinations of "
                 f"{', '.join(columns)} shared by fewer than k={k} records "
                 f"(smallest: {int(small.min())})",
                 mask(" | ".join(str(v) for v in values)))
    return stats, found, (int(sizes.sum()), int((sizes == 1).sum()))


def _package(frame: pd.DataFrame) -> Package:
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    resource = Resource(name="t", format="csv", descriptor={"name": "t"}, data=frame)
    return Package(root=".", descriptor={"name": "p"}, resources=[resource])


@settings(max_examples=100, deadline=None, database=None)
@given(cut_frames())
def test_the_rules_report_what_they_read_off_the_class_sizes_before(
        drawn: tuple[pd.DataFrame, list[int], int, int, int]) -> None:
    frame, _, _, _, k = drawn
    columns = list(frame.columns)
    stats, found, (records, unique) = _before(frame, columns, k)
    rule = KAnonymity(KAnonymityParams(k=k, quasi_identifiers=columns))
    findings = list(rule.check(_package(frame.copy())))
    assert rule.stats == {"t": stats}
    assert [(f.message, f.sample) for f in findings] == ([found] if found else [])
    residual = ResidualUniqueness(ResidualUniquenessParams(quasi_identifiers=columns))
    residual.check(_package(frame.copy()))
    measured = residual.stats["resources"]["t"]
    assert (measured["records"], measured["unique"]) == (records, unique)
