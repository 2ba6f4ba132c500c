"""A spatial resource's geometry in batches, for checks with bounded memory.

A CSV resource whose records are not in memory (its file, or a step's
projection of it) streams only its geometry columns (lat/lon or WKT) through
publisher.package.batches and builds each batch's shapes as the whole-table
reader does (publisher.package.readers._tabular), so the checks see the same
geometries and row numbers without holding a shape per record of the table.
Anything else (GeoJSON, GeoPackage, a table a step changed) is in memory
already and is cut into batches of its GeoDataFrame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from publisher.package import batches
from publisher.package.model import Resource
from publisher.package.readers._tabular import (
    _number_chars,
    latlon_geometry,
    numbers,
    wkt_geometry,
)


@dataclass(frozen=True)
class GeoBatch:
    rows: npt.NDArray[np.int64]  # the records' row numbers (as in the table's index)
    geoms: npt.NDArray[Any]  # shapely geometries, None where missing
    crs: CRS | None

    def __len__(self) -> int:
        return len(self.rows)


def has_geometry(resource: Resource) -> bool:
    """Whether the resource's records carry a geometry column, reading no records
    when they can be streamed."""
    if resource.data is None and resource.format == "csv" and \
            (resource.path is not None or resource.projection is not None):
        return _streamable(resource)  # a CSV file's geometry is the one its spec names
    table = resource.table()
    return isinstance(table, gpd.GeoDataFrame) and table.active_geometry_name is not None


T = TypeVar("T")


def stream_geometry(resource: Resource, columns: Sequence[str], batch_rows: int,
                    on_text: Callable[[batches.Batch, CRS | None], T],
                    on_shapes: Callable[[GeoBatch], T]) -> Iterator[T]:
    """A streamable spatial resource's geometry columns read as text, batch by
    batch, each handed to on_text with the data's CRS (None: not one pyproj
    knows; the checks say so); where the reader fell back to the whole table (a
    blank line), the rest as shapes to on_shapes."""
    spec = resource.geometry
    assert spec is not None
    try:
        crs: CRS | None = CRS.from_user_input(spec.crs)
    except CRSError:
        crs = None
    done = 0
    for batch in batches.iter_batches(resource, list(columns), batch_rows):
        if any(c not in batch.columns for c in columns):
            break  # the file could not be streamed (a blank line): read whole below
        done += len(batch)
        yield on_text(batch, crs)
    if resource.data is not None:  # iter_batches fell back to the whole-table reader
        for shaped in _frame_batches(resource.data.iloc[done:], batch_rows):
            yield on_shapes(shaped)


def geometry_batches(resource: Resource,
                     batch_rows: int | None = None) -> Iterator[GeoBatch]:
    """The geometry of a spatial resource, batch_rows records at a time, in record
    order (default batch_rows: publisher.package.batches.BATCH_ROWS); nothing for a
    resource without a geometry column."""
    batch_rows = batch_rows or batches.BATCH_ROWS
    if not _streamable(resource):
        yield from _frame_batches(resource.table(), batch_rows)
        return
    spec = resource.geometry
    assert spec is not None
    chars = _number_chars(resource)

    def shaped(batch: batches.Batch, crs: CRS | None) -> GeoBatch:
        assert spec is not None
        text = pd.DataFrame({c: batch.columns[c].to_pandas() for c in spec.columns})
        text.index = pd.Index(batch.rows)
        geoms = latlon_geometry(text, spec, chars) if spec.kind == "latlon" else \
            wkt_geometry(text, spec, resource.name)
        return GeoBatch(batch.rows, geoms, crs)

    yield from stream_geometry(resource, spec.columns, batch_rows, shaped, lambda g: g)


@dataclass(frozen=True)
class PointBatch:
    """The points of some records as their coordinates, without shapes: x (lon) and
    y (lat) as the reader parses them, NaN where the record has no point (either
    coordinate missing or not a number: the reader makes no shape then)."""

    rows: npt.NDArray[np.int64]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]


def point_batches(resource: Resource,
                  batch_rows: int | None = None) -> Iterator[PointBatch] | None:
    """The points of a lat/lon resource whose records stream, batch_rows records at a
    time, in record order; None for any other resource (use geometry_batches). No
    shape is built: for what needs only the coordinates (the audit's positions)."""
    spec = resource.geometry
    if not _streamable(resource) or spec is None or spec.kind != "latlon":
        return None
    assert spec.lat is not None and spec.lon is not None
    lat_name, lon_name = spec.lat, spec.lon
    chars = _number_chars(resource)

    def points() -> Iterator[PointBatch]:
        done = 0
        for batch in batches.iter_batches(resource, [lat_name, lon_name],
                                          batch_rows or batches.BATCH_ROWS):
            if lat_name not in batch.columns or lon_name not in batch.columns:
                break  # the file could not be streamed: read whole below
            lat = numbers(batch.columns[lat_name], chars.get(lat_name, (".", "")))
            lon = numbers(batch.columns[lon_name], chars.get(lon_name, (".", "")))
            absent = ~(np.isfinite(lat) & np.isfinite(lon))
            lat[absent], lon[absent] = np.nan, np.nan
            done += len(batch)
            yield PointBatch(batch.rows, lon, lat)
        if resource.data is not None:  # iter_batches fell back to the whole-table reader
            for part in _frame_batches(resource.data.iloc[done:], batch_rows or
                                       batches.BATCH_ROWS):
                located = ~(shapely.is_missing(part.geoms) | shapely.is_empty(part.geoms))
                x = np.full(len(part), np.nan)
                y = np.full(len(part), np.nan)
                x[located] = shapely.get_x(part.geoms[located])
                y[located] = shapely.get_y(part.geoms[located])
                yield PointBatch(part.rows, x, y)

    return points()


def _streamable(resource: Resource) -> bool:
    spec = resource.geometry
    return (resource.data is None and resource.format == "csv"
            and (resource.path is not None or resource.projection is not None)
            and spec is not None and spec.kind in ("latlon", "wkt") and bool(spec.columns))


def _frame_batches(table: pd.DataFrame, batch_rows: int) -> Iterator[GeoBatch]:
    if not isinstance(table, gpd.GeoDataFrame) or table.active_geometry_name is None:
        return
    crs = CRS.from_user_input(table.crs) if table.crs is not None else None
    geoms = np.asarray(table.geometry.array, dtype=object)
    index = table.index.to_numpy()
    rows = index.astype(np.int64) if np.issubdtype(index.dtype, np.integer) \
        else np.arange(1, len(table) + 1, dtype=np.int64)
    for start in range(0, len(table), batch_rows):
        yield GeoBatch(rows[start:start + batch_rows], geoms[start:start + batch_rows], crs)
