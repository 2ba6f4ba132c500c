"""Records per combination of quasi-identifier values counted on the workers: each
CSV byte range's class counts, in order of first appearance
(publisher.rules._quasi.count_classes), summed in file order (add_classes) on the
workers (publisher.cluster.ranges.reduce_ranges), which is what one process gets
batch by batch (class_sizes_on: the client receives one row per combination; the
rules on quasi-identifiers take publisher.cluster.classes instead, which
summarises the counts on the workers).

For k-anonymise each range gives its combinations as Arrow tables (Spread), with
the position of each one's first record (combinations_on), so the client knows
the row an error names and the order of first appearance its search breaks ties
by; and when a class gives up a few records to the suppressed ones, a second pass
finds the first of them in file order (first_records_on: each worker labels its
records at the levels found and matches that class). The generalised columns are
then written by the row-wise pass on the workers (publisher.cluster.rows), each
record's labels computed from its own values there
(publisher.steps._kanon.ByValues).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cloudpickle  # type: ignore[import-untyped]  # dask[distributed]'s
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from publisher.cluster import rows, scan
from publisher.cluster.client import connect
from publisher.cluster.parts import AnyPart, BlankLine, read_part
from publisher.cluster.ranges import file_of, reduce_ranges
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Resource
from publisher.passes import Combinations
from publisher.rules._quasi import add_classes, count_classes

if TYPE_CHECKING:
    from distributed import Future

FIRST_ROW = 2  # a CSV file's first record: the header is row 1
Marks = Callable[[pd.DataFrame], np.ndarray]  # which records of a frame of text cells


def classes_part(part: AnyPart, names: list[str]) -> pd.Series | None:
    """Runs on a worker: the range's class counts; None for a blank line (the client
    then reads the file, numbering it as frictionless does)."""
    try:
        table = read_part(part)
    except BlankLine:
        return None
    frame = pd.DataFrame({c: table.column(c).to_pandas() for c in names})
    return count_classes(frame, names)


def class_sizes_on(resource: Resource, columns: list[str], address: str) -> pd.Series | None:
    """The class sizes of the resource's records counted on the cluster at
    `address`; None when its records cannot be read there."""
    return reduce_ranges(resource, columns, classes_part, add_classes, address, names=columns)


@dataclass(frozen=True)
class Spread:
    """The distinct combinations of some consecutive records: per combination its
    values (the key columns K0, K1, ...), its records (RECORDS) and the position of
    the first among them (FIRST, from 0), in order of first appearance; and how many
    records there are. Arrow throughout: no Python object per combination, which
    with nearly unique values (raw timestamps) is about one per record."""

    rows: int
    counts: pa.Table


RECORDS, FIRST = "records", "first"


def _keys(count: int) -> list[str]:
    return [f"k{i}" for i in range(count)]


def combinations_part(part: AnyPart, names: list[str]) -> Spread | None:
    """Runs on a worker: the range's combinations; None for a blank line."""
    try:
        table = read_part(part)
    except BlankLine:
        return None
    return spread_of(table, names)


def spread_of(table: pa.Table, names: list[str]) -> Spread:
    """The combinations of the columns NAMES (text) of some consecutive records."""
    keys = _keys(len(names))
    keyed = pa.table({**{k: table.column(c).cast(pa.large_string())
                         for k, c in zip(keys, names, strict=True)},
                      FIRST: pa.array(np.arange(table.num_rows, dtype=np.int64))})
    grouped = keyed.group_by(keys, use_threads=False).aggregate(
        [(FIRST, "count"), (FIRST, "min")])
    return Spread(table.num_rows, _in_order(grouped, keys, f"{FIRST}_count", f"{FIRST}_min"))


def add_combinations(parts: list[Spread]) -> Spread:
    """The combinations of consecutive ranges (in file order) as one range's."""
    tables, offset = [], 0
    for part in parts:
        counts = part.counts
        tables.append(counts.set_column(counts.schema.get_field_index(FIRST), FIRST,
                                        pc.add(counts.column(FIRST), offset)))
        offset += part.rows
    joined = pa.concat_tables(tables)
    keys = [n for n in joined.column_names if n not in (RECORDS, FIRST)]
    grouped = joined.group_by(keys, use_threads=False).aggregate(
        [(RECORDS, "sum"), (FIRST, "min")])
    return Spread(offset, _in_order(grouped, keys, f"{RECORDS}_sum", f"{FIRST}_min"))


def _in_order(grouped: pa.Table, keys: list[str], records: str, first: str) -> pa.Table:
    """A group_by's result as a Spread's counts, in order of first appearance (Arrow
    does not promise its groups' order)."""
    table = pa.table({**{k: grouped.column(k) for k in keys},
                      RECORDS: grouped.column(records).cast(pa.int64()),
                      FIRST: grouped.column(first).cast(pa.int64())})
    return table.take(pc.sort_indices(table, [(FIRST, "ascending")]))


def combinations_on(resource: Resource, columns: list[str], address: str
                    ) -> Combinations | None:
    """publisher.passes.Passes.combinations of a CSV resource's records on the
    cluster at `address`; None when they cannot be read there."""
    if resource.dataset is not None:  # only what the row-wise pass rewrites there
        return None
    spread = reduce_ranges(resource, columns, combinations_part, add_combinations, address,
                           names=columns)
    if spread is None:
        return None
    counts = spread.counts
    values = pa.table({c: counts.column(k) for c, k in
                       zip(columns, _keys(len(columns)), strict=True)})
    return Combinations(values, counts.column(RECORDS).to_numpy(),
                        counts.column(FIRST).to_numpy() + FIRST_ROW)


def first_records_part(part: AnyPart, names: list[str], marks: Marks, count: int
                       ) -> tuple[int, list[int]] | None:
    """Runs on a worker: the range's records, and the positions (from 0) of its
    first COUNT records that MARKS marks."""
    try:
        table = read_part(part)
    except BlankLine:
        return None
    frame = pd.DataFrame({c: table.column(c).to_pandas() for c in names})
    return table.num_rows, np.flatnonzero(marks(frame))[:count].tolist()


def first_records_on(resource: Resource, columns: list[str], marks: Marks, count: int,
                     address: str) -> np.ndarray | None:
    """publisher.passes.Passes.first_records on the cluster at `address`; None when
    the records cannot be read there."""
    file = file_of(resource, columns)
    if file is None or resource.dataset is not None:
        return None
    header = tuple(read_header(file, csv_options(resource.descriptor, resource.name),
                               resource.name))
    with connect(address) as client:
        parts = scan.cut(client, resource, file, header, tuple(columns), scan.PART_BYTES)
        # what marks the records (a donor class) goes to every worker once if large
        shared: Marks | Future[Marks] = marks
        if len(cloudpickle.dumps(marks)) > rows.INLINE_BYTES:
            [shared] = client.scatter([marks], broadcast=True, hash=False)  # type: ignore[no-untyped-call]
        found: list[tuple[int, list[int]] | None] = scan.gather(client, client.map(
            first_records_part, parts, names=columns, marks=shared, count=count), resource)
    numbers: list[int] = []
    offset = FIRST_ROW
    for range_found in found:
        if range_found is None:
            return None
        records, hits = range_found
        numbers.extend(offset + hit for hit in hits)
        offset += records
    return np.array(numbers[:count], dtype=np.int64)
