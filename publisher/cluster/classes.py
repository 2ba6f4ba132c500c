"""The summary of a resource's class sizes (k-anonymity, residual uniqueness:
publisher.rules._quasi.ClassSummary) computed on the workers, as a
hash-partitioned aggregation: the client receives a few figures per bucket,
never one row per combination of the quasi-identifiers' values (with nearly
unique values, such as timestamps to the second, that is one row per record).

Each CSV byte range (or GeoParquet row group) counts its combinations, with the
position of each one's first record (publisher.cluster.quasi.Spread), and splits
them into P buckets by a hash of their values: the hash only chooses the bucket,
the combinations stay grouped on the values themselves, so no collision merges
two classes. Every combination falls in the same bucket in every range, so
each bucket's parts, summed in file order on the workers (quasi.add_combinations,
FAN_IN at a time), hold whole classes; the bucket's root summarises them, with
its first class below k by first record. The client adds the P summaries up;
the first class below k overall is the one whose first record comes first: the
first in order of first appearance, as in one process.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.util import hash_pandas_object

from publisher.cluster import scan
from publisher.cluster.client import connect
from publisher.cluster.parts import AnyPart, BlankLine, read_part
from publisher.cluster.quasi import FIRST, RECORDS, Spread, add_combinations, spread_of
from publisher.cluster.ranges import FAN_IN, file_of, set_parts
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Resource
from publisher.rules._quasi import ClassSummary, summarise

if TYPE_CHECKING:
    from distributed import Client, Future

BUCKETS_PER_WORKER = 2


@dataclass(frozen=True)
class Bucket:
    """One bucket's summary, and the position (from 0, in the file) of the first
    record of its first class below k (None: it has none)."""

    summary: ClassSummary
    first_row: int | None


def split(spread: Spread, buckets: int) -> list[Spread]:
    """The combinations in BUCKETS parts by a hash of their values, each part with
    the range's records (so positions stay offset by whole ranges when summed)."""
    counts = spread.counts
    keys = _keys(counts)
    hashes = hash_pandas_object(pd.DataFrame({k: counts.column(k).to_pandas() for k in keys}),
                                index=False)
    bucket = (hashes.to_numpy() % np.uint64(buckets)).astype(np.int64)
    return [Spread(spread.rows, counts.filter(pa.array(bucket == b))) for b in range(buckets)]


def bucket_summary(spread: Spread, k: int) -> Bucket:
    """The summary of one bucket's whole classes; the values of its first class below
    k as one process reads them (pandas text: a missing value is nan)."""
    counts = spread.counts
    records = counts.column(RECORDS).to_numpy()
    summary = replace(summarise(pd.Series(records, dtype="int64"), k), first_small=None)
    small = np.flatnonzero(records < k)
    if not small.size:
        return Bucket(summary, None)
    firsts = counts.column(FIRST).to_numpy()
    at = int(small[np.argmin(firsts[small])])
    values = tuple(counts.column(key).slice(at, 1).cast(pa.string()).to_pandas().iloc[0]
                   for key in _keys(counts))
    return Bucket(replace(summary, first_small=values), int(firsts[at]))


def _keys(counts: pa.Table) -> list[str]:
    return [n for n in counts.column_names if n not in (RECORDS, FIRST)]


def combine(buckets: list[Bucket], k: int) -> ClassSummary:
    """The summaries of the buckets (every class in one of them) as one."""
    sums = [b.summary for b in buckets]
    firsts = [(b.first_row, b.summary.first_small) for b in buckets if b.first_row is not None]
    return ClassSummary(
        k=k, records=sum(s.records for s in sums), classes=sum(s.classes for s in sums),
        smallest=min((s.smallest for s in sums if s.classes), default=0),
        unique=sum(s.unique for s in sums),
        small_classes=sum(s.small_classes for s in sums),
        small_records=sum(s.small_records for s in sums),
        first_small=min(firsts, key=lambda f: f[0])[1] if firsts else None)


def buckets_part(part: AnyPart, names: list[str], buckets: int) -> list[Spread] | None:
    """Runs on a worker: the range's combinations in buckets; None for a ragged
    record (parts.BlankLine: the client then reads the file with the row rules)."""
    try:
        table = read_part(part)
    except BlankLine:
        return None
    return split(spread_of(table, names), buckets)


def _bucket(spreads: list[Spread] | None, bucket: int) -> Spread | None:
    """Runs on a worker: one bucket of a range's."""
    return None if spreads is None else spreads[bucket]


def _added(parts: list[Spread | None]) -> Spread | None:
    """Runs on a worker: one step of a bucket's tree."""
    if any(p is None for p in parts):
        return None
    return add_combinations([p for p in parts if p is not None])


def _summarised(spread: Spread | None, k: int) -> Bucket | None:
    """Runs on a worker: a bucket's root."""
    return None if spread is None else bucket_summary(spread, k)


def class_summary_on(resource: Resource, columns: list[str], k: int, address: str
                     ) -> ClassSummary | None:
    """publisher.passes.Passes.class_summary of the resource's records on the
    cluster at `address`; None when they cannot be read there (file_of, a ragged
    record) or there is none: the rule counts them in this process."""
    file = set_parts(resource, columns) or file_of(resource, columns)
    if file is None:
        return None
    with connect(address) as client:
        parts: list[AnyPart] = list(file) if isinstance(file, list) else _cut(
            client, resource, file, columns)
        if not parts:  # no record: nothing to summarise
            return None
        buckets = max(1, BUCKETS_PER_WORKER * len(client.scheduler_info()["workers"]))
        ranges = client.map(buckets_part, parts, names=columns, buckets=buckets)
        roots: list[Future[Bucket | None]] = []
        for bucket in range(buckets):
            tree: list[Future[Spread | None]] = [client.submit(_bucket, r, bucket)
                                                 for r in ranges]
            while len(tree) > 1:
                tree = [client.submit(_added, tree[i:i + FAN_IN])
                        for i in range(0, len(tree), FAN_IN)]
            roots.append(client.submit(_summarised, tree[0], k))
        summaries: list[Bucket | None] = scan.gather(client, roots, resource)
    if any(s is None for s in summaries):
        return None
    return combine([s for s in summaries if s is not None], k)


def _cut(client: Client, resource: Resource, file: Path, columns: list[str]
         ) -> list[AnyPart]:
    """The CSV file's ranges (publisher.cluster.scan.cut), read by the workers."""
    header = tuple(read_header(file, csv_options(resource.descriptor, resource.name),
                               resource.name))
    return list(scan.cut(client, resource, file, header, tuple(columns), scan.PART_BYTES))
