"""A resource's records in batches of text columns, for scanning with bounded memory.

A CSV file that is not in memory yet streams through Arrow
(publisher.package.csvio.arrow) with every column read as text (empty cells
stay ""), and each batch carries the frictionless row numbers of its records
(header = row 1, first record = 2; quoted line breaks do not count). A file
with blank lines or ragged records falls back to the in-memory reader, which
numbers them as frictionless does and cuts or pads a ragged record to the
header (the row rules: publisher.package.csvio.rows). Resources already
in memory (GeoJSON, GeoPackage, or anything a step changed) are cut into
batches of the DataFrame; their index is the row number. A value of object or
array type (a nested GeoJSON property) is scanned as its JSON text. A resource a
step narrowed to some columns without reading it (model.Projection) streams those
columns of its file.

read_columns and read_projection build DataFrames from the batches: some
columns of a CSV file (with its geometry) as the whole-table reader gives them
(text cells, "" for empty, the row number as index), without holding the
other columns as Python objects.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from publisher.package.csvio import arrow, csv_options, note_regular, read_header
from publisher.package.model import Resource

BATCH_ROWS = 65_536


@dataclass(frozen=True)
class Batch:
    rows: np.ndarray  # int64 row numbers, one per record
    columns: dict[str, pa.Array]  # text columns by name, nulls for missing values

    def __len__(self) -> int:
        return len(self.rows)


def text_columns(resource: Resource) -> list[str]:
    """The columns worth scanning for text: every field of the data but the geometry."""
    if resource.data is not None:
        data = resource.data
        geometry = data.geometry.name if isinstance(data, gpd.GeoDataFrame) else None
        return [str(c) for c in data.columns if c not in (geometry, "geometry")]
    if resource.projection is not None:
        geometry = resource.geometry.columns if resource.geometry else ()
        return [c for c in resource.projection.columns if c not in geometry]
    if resource.format == "csv" and resource.path is not None:
        opts = csv_options(resource.descriptor, resource.name)
        return read_header(resource.path, opts, resource.name)
    if resource.dataset is not None:
        from publisher.package.readers import _parquetset

        named = _parquetset.text_columns(resource.dataset)
        if named is not None:
            return named
    return text_columns_of(resource.table())


def text_columns_of(table: pd.DataFrame) -> list[str]:
    geometry = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
    return [str(c) for c in table.columns if c not in (geometry, "geometry")]


def iter_batches(resource: Resource, columns: Sequence[str] | None = None,
                 batch_rows: int = BATCH_ROWS) -> Iterator[Batch]:
    """The named columns (default: all but geometry) in batches of up to batch_rows."""
    done = 0
    source = _file_source(resource)
    if source is not None:
        if resource.projection is not None:  # a step dropped the other columns
            kept = resource.projection.columns
            columns = text_columns(resource) if columns is None else \
                [c for c in columns if c in kept]
        try:
            for batch in _csv_batches(source, columns, batch_rows):
                done += len(batch)
                yield batch
            return
        except arrow.Irregular:
            pass  # the records before the blank or ragged row were yielded already
    elif resource.data is None and resource.dataset is not None:
        streamed = _set_batches(resource, columns)
        if streamed is not None:
            yield from streamed
            return
    yield from _frame_batches(resource.table().iloc[done:], columns, batch_rows)


def _set_batches(resource: Resource, columns: Sequence[str] | None) -> Iterator[Batch] | None:
    """A partitioned GeoParquet resource not in memory, one row group at a time
    (feature numbers from 1, in file order); None when it must be read whole."""
    from publisher.package.readers import _parquetset

    pset = resource.dataset
    assert pset is not None
    names = _parquetset.text_columns(pset)
    if names is None:
        return None
    wanted = names if columns is None else [c for c in columns if c in names]

    def batches() -> Iterator[Batch]:
        first = 1
        for file, group, rows in _parquetset.pieces(pset):
            if wanted:
                text = _parquetset.text_piece(pset, file, group, wanted, resource.name)
                yield Batch(np.arange(first, first + rows, dtype=np.int64),
                            {name: text.column(name).combine_chunks() for name in wanted})
            first += rows

    return batches()


def _file_source(resource: Resource) -> Resource | None:
    """The resource as a CSV file to stream from (a projection's file), None when its
    records are in memory or not in a CSV file."""
    if resource.data is not None or resource.format != "csv":
        return None
    if resource.projection is not None:
        return dataclasses.replace(resource, path=resource.projection.file, projection=None,
                                   views={})
    return resource if resource.path is not None else None


def read_columns(resource: Resource, columns: tuple[str, ...]) -> pd.DataFrame:
    """Some columns of a CSV resource not in memory, with its geometry (a
    GeoDataFrame when spatial), as the whole-table reader gives them."""
    source = _file_source(resource)
    assert source is not None
    from publisher.package.readers import format_of
    from publisher.package.readers._tabular import with_geometry

    geometry = resource.geometry.columns if resource.geometry else ()
    opts = csv_options(source.descriptor, source.name)
    assert source.path is not None
    header = read_header(source.path, opts, source.name)
    allowed = set(resource.projection.columns) if resource.projection else set(header)
    wanted = [c for c in header if c in allowed and (c in columns or c in geometry)]
    try:
        parts = [pd.DataFrame({c: b.columns[c].to_pandas() for c in wanted})
                 for b in _csv_batches(source, wanted, BATCH_ROWS)]
    except arrow.Irregular:  # the whole-table reader numbers blank lines as frictionless
        # does, and cuts or pads ragged records
        whole = format_of(source).read(source)
        keep = [c for c in whole.columns if c in wanted or c not in header]
        return whole[keep]
    table = pd.concat(parts, ignore_index=True) if parts else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in wanted})
    table.index = pd.RangeIndex(2, len(table) + 2)
    return with_geometry(table, source, "the CSV header")


def read_projection(resource: Resource) -> pd.DataFrame:
    """The records of a projected resource: its columns of its file."""
    assert resource.projection is not None
    return read_columns(resource, resource.projection.columns)


def _csv_batches(resource: Resource, columns: Sequence[str] | None,
                 batch_rows: int) -> Iterator[Batch]:
    assert resource.path is not None
    opts = csv_options(resource.descriptor, resource.name)
    header = read_header(resource.path, opts, resource.name)
    geometry = set(resource.geometry.columns) if resource.geometry else set()
    wanted = ([c for c in header if c not in geometry] if columns is None
              else [c for c in columns if c in header])
    if not header or not wanted:
        return
    first = 2
    pending: list[pa.RecordBatch] = []
    size = 0
    stop = arrow.StopAtIrregular()
    try:
        reader = arrow.stream(resource.path, arrow.options(opts, header, include=wanted,
                                                           on_invalid=stop))
        for record_batch in reader:
            pending.append(record_batch)
            size += record_batch.num_rows
            while size >= batch_rows:
                table = pa.Table.from_batches(pending)
                yield _arrow_batch(table.slice(0, batch_rows), first, wanted)
                first += batch_rows
                rest = table.slice(batch_rows)
                pending, size = rest.to_batches(), rest.num_rows
    except pa.ArrowInvalid as exc:
        # a blank or ragged row, or a quote Arrow cannot close: the whole-table
        # reader applies the row rules (or names what is wrong)
        raise arrow.Irregular from exc
    if not stop.met:  # every record read: the check need not look for ragged rows again
        note_regular(resource.path, opts)
    if size:
        yield _arrow_batch(pa.Table.from_batches(pending), first, wanted)


def _arrow_batch(table: pa.Table, first: int, wanted: list[str]) -> Batch:
    rows = np.arange(first, first + table.num_rows, dtype=np.int64)
    return Batch(rows, {name: table.column(name).combine_chunks() for name in wanted})


def _frame_batches(table: pd.DataFrame, columns: Sequence[str] | None,
                   batch_rows: int) -> Iterator[Batch]:
    names = text_columns_of(table)
    wanted = names if columns is None else [c for c in columns if c in names]
    if not wanted:
        return
    index = table.index.to_numpy()
    rows = index.astype(np.int64) if np.issubdtype(index.dtype, np.integer) \
        else np.arange(1, len(table) + 1, dtype=np.int64)
    for start in range(0, len(table), batch_rows):
        part = table.iloc[start:start + batch_rows]
        yield Batch(rows[start:start + batch_rows],
                    {name: _text(part[name]) for name in wanted})


def _text(column: pd.Series) -> pa.Array:
    dtype = column.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        # text already held by Arrow (as the readers make it): no Python per cell
        held = pa.array(column.array)
        if isinstance(held, pa.ChunkedArray):
            held = held.combine_chunks()
        return held.cast(pa.string())
    if pd.api.types.is_object_dtype(dtype):
        column = column.map(_json_text)
    text = column.astype("string")
    values: list[Any] = text.astype(object).where(text.notna(), None).tolist()
    return pa.array(values, type=pa.string())


def _json_text(value: Any) -> Any:
    """An object or array value (a GeoJSON property, read as a dict, list or numpy
    array) as JSON text, every nested text in it whole; numpy's own text of a long
    array leaves out its middle ("..."), and the scan would not see it."""
    if isinstance(value, dict | list | tuple | np.ndarray):
        return json.dumps(value, ensure_ascii=False, default=_plain)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return str(value)
