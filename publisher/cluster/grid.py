"""grid-aggregate's counting on the workers.

Each CSV byte range (publisher.cluster.ranges) is read by a worker, which counts
its points per (cell at every resolution of the ladder, group) batch by batch
with the functions of the single-process streamed count
(publisher.steps.grid_aggregate: batch_counts, merge_counts) and returns the
summed counts of its range, a few rows per occupied cell and group. The ranges'
counts are summed in file order on the workers (a tree, publisher.cluster.ranges;
groups numbered in order of first appearance, as one process numbers them), and
the client runs the merge-up and the suppression of small cells on the combined
counts, so the published cells and
figures are those of the single-process run. The table is not read on the
client.

A partitioned GeoParquet resource (publisher.package.readers._parquetset) is
counted row group by row group as one process counts it
(publisher.steps.grid_aggregate.piece_counts): each worker reads its row
group's geometry and `by` columns as the reader gives them.

A range the workers cannot count (a blank line, a geometry that is not a point
or cannot be projected) leaves the resource to the client's own streamed count,
whose message names the row as a single-process run does.
"""

from __future__ import annotations

import dataclasses
import functools

import pandas as pd

from publisher.cluster.parts import BlankLine, ParquetPart, Part, read_part
from publisher.cluster.ranges import reduce_ranges
from publisher.errors import PublisherError
from publisher.package.batches import BATCH_ROWS
from publisher.package.model import Resource
from publisher.steps.grid_aggregate import (
    GridAggregateParams,
    GridCounts,
    batch_counts,
    merge_counts,
    piece_counts,
)


def count_part(part: Part, layout: Resource, params: GridAggregateParams
               ) -> GridCounts | None:
    """Runs on a worker: the summed counts of the range's records (`layout`: the
    resource's geometry and schema); None when they cannot be counted here (the
    client counts the resource itself)."""
    try:
        table = read_part(part)
    except BlankLine:
        return None
    counts = []
    try:
        for start in range(0, table.num_rows, BATCH_ROWS):
            piece = table.slice(start, BATCH_ROWS)
            frame = pd.DataFrame({c: piece.column(c).to_pandas() for c in part.wanted})
            frame.index = pd.RangeIndex(start, start + piece.num_rows)  # range-local
            counts.append(batch_counts(frame, layout, params))
    except PublisherError:
        return None
    return merge_counts(counts, params)


def count_set_part(part: ParquetPart, layout: Resource, params: GridAggregateParams
                   ) -> GridCounts | None:
    """Runs on a worker: the counts of one row group of a GeoParquet folder or prefix;
    None when they cannot be counted here (the client counts the resource itself)."""
    try:
        return piece_counts(part.dataset, part.file, part.group, layout, params)
    except PublisherError:
        return None


def grid_counts(resource: Resource, params: GridAggregateParams,
                address: str) -> GridCounts | None:
    """The counts of a CSV resource whose records are not in memory, or of a
    GeoParquet folder or prefix, made on the cluster at `address`; None when its
    file cannot be cut here or a range cannot be counted (the client then counts it
    as in one process)."""
    if resource.geometry is None:
        return None
    light = dataclasses.replace(resource, path=None, data=None, projection=None, views={},
                                dataset=None)
    if resource.dataset is not None:
        return reduce_ranges(resource, params.by, count_set_part,
                             functools.partial(merge_counts, params=params), address,
                             layout=light, params=params)
    return reduce_ranges(resource, [*resource.geometry.columns, *params.by], count_part,
                         functools.partial(merge_counts, params=params), address,
                         layout=light, params=params)
