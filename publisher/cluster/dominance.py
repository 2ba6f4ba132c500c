"""The dominance rule's cells summed on the workers.

With a contributor column, each CSV byte range sums its values per cell and
contributor, and neighbouring ranges' sums are summed again (a contributor's
records may lie in several ranges). Without one, each record is a contributor:
each range keeps, per cell, its `top` largest records (with their position in
the file) and its total, and neighbouring ranges keep the `top` largest of
theirs together (ties: the earlier record), and add the totals. The cell's
largest records overall are among them. The ranges are combined on the workers
(publisher.cluster.ranges.reduce_ranges); the client judges the cells on the
combined result as one process does (publisher.rules.dominance): the same
cells in the same order. It receives one row per cell and contributor, or per
cell up to `top` records, never the records themselves. Sums of integer values are
exact; sums of fractional values may differ from one process's in the last bit.

A partitioned GeoParquet resource (resource.dataset) is summed one row group a
task, its columns read with their types as the one-process reader gives them
(read_piece, then Arrow's to_pandas, as geopandas does): cells and contributors
are grouped and sorted as typed values there, so the cells, their order and the
samples are those of one process.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from itertools import accumulate

import pandas as pd

from publisher.cluster.parts import AnyPart, BlankLine, ParquetPart, read_part
from publisher.cluster.ranges import reduce_ranges
from publisher.package.model import Resource
from publisher.package.readers._parquetset import ParquetSet, read_piece
from publisher.rules.dominance import (
    ValueTable,
    contributor_sums,
    dominated_shares,
    needed_columns,
    value_frame,
)

POSITION = "__position"  # a candidate's record position, to put them back in file order


@dataclass(frozen=True)
class PartCells:
    """One range's share of a value table."""

    rows: int
    cells: pd.DataFrame  # per cell and contributor: the summed value; or the largest records
    totals: pd.Series | None  # without a contributor: each cell's sum in the range


def _geometries(pset: ParquetSet) -> set[str]:
    """The set's geometry columns (the files' `geo` metadata)."""
    geo = json.loads((pset.schema.metadata or {}).get(b"geo", b"{}"))
    return set(geo.get("columns", {}))


def _typed(part: ParquetPart) -> pd.DataFrame:
    """A row group's columns as the one-process reader types them."""
    table = read_piece(part.dataset, part.file, part.group, list(part.wanted), part.resource)
    return pd.DataFrame(table.to_pandas())


def cells_part(part: AnyPart, spec: ValueTable, top: int) -> PartCells | None:
    """Runs on a worker: the range's (or row group's) partial sums, or its candidates
    and totals."""
    if isinstance(part, ParquetPart):
        frame = value_frame(_typed(part), spec)
    else:
        try:
            table = read_part(part)
        except BlankLine:
            return None
        frame = value_frame(pd.DataFrame({c: table.column(c).to_pandas()
                                          for c in part.wanted}), spec)
    if spec.contributor:
        return PartCells(len(frame), contributor_sums(frame, spec), None)
    frame[POSITION] = range(len(frame))
    ordered = frame.sort_values(spec.value, ascending=False, kind="stable")
    grouped = ordered.groupby(spec.by, dropna=False, sort=False)
    return PartCells(len(frame), pd.DataFrame(grouped.head(top)), grouped[spec.value].sum())


def merge_cells(parts: list[PartCells], spec: ValueTable, top: int) -> PartCells:
    """The partial results of neighbouring ranges, in file order, as one range's."""
    rows = sum(p.rows for p in parts)
    if spec.contributor:
        sums = pd.concat([p.cells for p in parts], ignore_index=True)
        return PartCells(rows, contributor_sums(sums, spec), None)
    offsets = [0, *accumulate(p.rows for p in parts)]
    candidates = pd.concat([p.cells.assign(**{POSITION: p.cells[POSITION] + offset})
                            for p, offset in zip(parts, offsets, strict=False)])
    ordered = candidates.sort_values(POSITION, kind="stable").sort_values(
        spec.value, ascending=False, kind="stable")
    largest = pd.DataFrame(ordered.groupby(spec.by, dropna=False, sort=False).head(top))
    levels = list(range(len(spec.by)))
    totals = pd.concat([p.totals for p in parts if p.totals is not None]).groupby(
        level=levels, dropna=False, sort=False).sum()
    return PartCells(rows, largest, totals)


def dominated_on(resource: Resource, spec: ValueTable, top: int, share: float,
                 address: str) -> pd.Series | None:
    """dominated_shares of the resource's value table, summed on the cluster at
    `address`; None when its records cannot be read there, or a column of the table
    is a set's geometry (the client reads it as the one-process reader does)."""
    if resource.dataset is not None and any(
            c in _geometries(resource.dataset) for c in needed_columns(spec)):
        return None
    merged = reduce_ranges(resource, needed_columns(spec), cells_part,
                           functools.partial(merge_cells, spec=spec, top=top), address,
                           spec=spec, top=top)
    if merged is None:
        return None
    if spec.contributor:
        return dominated_shares(merged.cells, spec, top, share)
    candidates = merged.cells.sort_values(POSITION, kind="stable").drop(columns=POSITION)
    return dominated_shares(candidates.reset_index(drop=True), spec, top, share,
                            merged.totals)
