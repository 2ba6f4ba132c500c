"""Records per combination of quasi-identifier values (k-anonymity, residual
uniqueness, k-anonymise) counted on the workers: each CSV byte range's class
counts, in order of first appearance (publisher.rules._quasi.count_classes),
summed in file order (add_classes) on the workers
(publisher.cluster.ranges.reduce_ranges), which is what one process gets batch
by batch. The client receives one row per combination, never the records.

For k-anonymise each range also gives the position of each combination's first
record (combinations_on), so the client knows the row an error names and the
order of first appearance its search breaks ties by; and when a class gives up
a few records to the suppressed ones, a second pass finds the first of them in
file order (first_records_on: each worker labels its records at the levels
found and matches that class). The generalised columns are then written by the
row-wise pass on the workers (publisher.cluster.rows), each record's labels
computed from its own values there (publisher.steps._kanon.ByValues).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import cloudpickle  # type: ignore[import-untyped]  # dask[distributed]'s
import numpy as np
import pandas as pd

from publisher.cluster import rows, scan
from publisher.cluster.client import connect
from publisher.cluster.parts import AnyPart, BlankLine, read_part
from publisher.cluster.ranges import file_of, reduce_ranges
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Resource
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
    """The distinct combinations of some consecutive records, in order of first
    appearance: per combination (the index) its records (`records`) and the position
    of the first among them (`first`, from 0); and how many records there are."""

    rows: int
    counts: pd.DataFrame


def combinations_part(part: AnyPart, names: list[str]) -> Spread | None:
    """Runs on a worker: the range's combinations; None for a blank line."""
    try:
        table = read_part(part)
    except BlankLine:
        return None
    keys = [pd.Series(table.column(c).to_pandas(), name=c) for c in names]
    grouped = pd.Series(np.arange(table.num_rows)).groupby(keys, sort=False, dropna=False)
    return Spread(table.num_rows, pd.DataFrame({"records": grouped.size(),
                                                "first": grouped.min()}))


def add_combinations(parts: list[Spread]) -> Spread:
    """The combinations of consecutive ranges (in file order) as one range's."""
    frames, offset = [], 0
    for part in parts:
        frames.append(part.counts.assign(first=part.counts["first"] + offset))
        offset += part.rows
    joined = pd.concat(frames)
    summed = joined.groupby(level=list(range(joined.index.nlevels)), sort=False,
                            dropna=False).agg(records=("records", "sum"), first=("first", "min"))
    return Spread(offset, summed.astype("int64"))


def combinations_on(resource: Resource, columns: list[str], address: str
                    ) -> pd.DataFrame | None:
    """publisher.passes.Passes.combinations of a CSV resource's records on the
    cluster at `address`; None when they cannot be read there."""
    if resource.dataset is not None:  # only what the row-wise pass rewrites there
        return None
    spread = reduce_ranges(resource, columns, combinations_part, add_combinations, address,
                           names=columns)
    if spread is None:
        return None
    return spread.counts.assign(first=spread.counts["first"] + FIRST_ROW)


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
