"""A CSV resource's records as DataFrames, batch by batch, as the whole-table
reader gives them: every cell as text, the row numbers as index, the geometry
built from its columns (publisher.package.readers._tabular). For the stages
that write or change every record (row-wise steps, staging) without holding
the table: the records come from the resource's file, or from the file a
step narrowed it to (model.Projection), through publisher.package.batches.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from publisher.package import batches
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Resource
from publisher.package.readers._tabular import with_geometry


def file_columns(resource: Resource) -> list[str] | None:
    """The columns of a CSV resource whose records are not in memory (its geometry
    columns among them), in file order; None when its records are in memory or
    cannot be read batch by batch."""
    if resource.data is not None or resource.format != "csv":
        return None
    opts = csv_options(resource.descriptor, resource.name)
    if opts.skipinitialspace:  # the batch reader keeps the spaces the whole-table one skips
        return None
    if resource.projection is not None:
        return list(resource.projection.columns)
    if resource.path is None:
        return None
    return read_header(resource.path, opts, resource.name)


def record_frames(resource: Resource, batch_rows: int | None = None, *,
                  geometry: bool = True) -> Iterator[pd.DataFrame]:
    """Every record of a resource file_columns() can read, once, batch_rows (default
    batches.BATCH_ROWS) at a time; one empty frame for a file without records. A
    file that turns out not to stream (a blank line: the whole-table reader numbers
    such rows as frictionless does) goes on from the whole table, which is then in
    memory (resource.data). GEOMETRY false: the geometry's columns stay text columns
    (no shapes are built) where the records come from the file."""
    columns = file_columns(resource)
    assert columns is not None, "records in memory: use resource.table()"
    rows = batch_rows or batches.BATCH_ROWS
    done = 0
    for batch in batches.iter_batches(resource, columns, rows):
        if resource.data is not None or any(c not in batch.columns for c in columns):
            break  # iter_batches went on from the whole table: so do we, with its geometry
        frame = pd.DataFrame({c: batch.columns[c].to_pandas() for c in columns})
        frame.index = pd.Index(batch.rows)
        done += len(frame)
        yield with_geometry(frame, resource, "the CSV header") if geometry else frame
    if resource.data is not None:
        rest = resource.data.iloc[done:]
        for start in range(0, len(rest), rows):
            yield rest.iloc[start:start + rows]
    elif not done:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        yield with_geometry(frame, resource, "the CSV header") if geometry else frame


def column_values(resource: Resource, column: str,
                  batch_rows: int | None = None) -> Iterator[pd.Series]:
    """One column's values in parts, as the whole-table reader gives them (the row
    numbers as index), without reading the other columns when the records are not
    in memory."""
    if file_columns(resource) is None:
        yield resource.table()[column]
        return
    for batch in batches.iter_batches(resource, [column], batch_rows or batches.BATCH_ROWS):
        values = batch.columns[column].to_pandas()
        values.index = pd.Index(batch.rows)
        yield values

