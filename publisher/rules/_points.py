"""The points of a spatial resource as coordinate arrays, batch by batch, for the
coordinate rules (coordinate-precision, coordinate-extent), which need a point's
x and y and no shape.

A CSV resource with lat/lon columns that can be streamed is read as two number
columns (publisher.package.batches): the cells are parsed by Arrow where they
are plain decimal numbers, and by the whole-table reader's own parser
(publisher.package.readers._tabular) where not (a decimal comma, a group
character, an exponent written otherwise, anything odd), so the points, their
rows and their values are those of the shapes publisher.package.geobatches
builds, without a shapely point per record. Anything else is read from those
shapes (points only; missing and empty ones left out).

The coordinate rules' passes over the geometry (GeometryPass) are made by one
read of it per check (read_geometry, called by check_package), not one per rule.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS

from publisher.package import batches, geobatches
from publisher.package.model import Resource
from publisher.package.readers._tabular import _number_chars, numbers
from publisher.rules._shared import Pass, keep

T = TypeVar("T")

# what Arrow's cast and pandas' to_numeric read alike (decimal point, optional
# exponent), with the ASCII blanks str.strip removes around it
@dataclass(frozen=True)
class PointBatch:
    rows: npt.NDArray[np.int64]  # the row numbers of the records that hold a point
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    crs: CRS | None
    records: int  # records in the batch, with or without a point

    def __len__(self) -> int:
        return len(self.rows)


def only_points(resource: Resource) -> bool:
    """Whether the resource's geometry is read from the lat/lon columns of its CSV
    file (so every geometry is a point or missing); not where the records are in
    memory (a step may have made other shapes of them)."""
    spec = resource.geometry
    return (spec is not None and spec.kind == "latlon" and resource.data is None
            and resource.format == "csv"
            and (resource.path is not None or resource.projection is not None))


def point_batches(resource: Resource, batch_rows: int | None = None) -> Iterator[PointBatch]:
    """The points of the resource in record order, batch_rows records at a time
    (default: publisher.package.batches.BATCH_ROWS)."""
    batch_rows = batch_rows or batches.BATCH_ROWS
    spec = resource.geometry
    if not only_points(resource):
        yield from _from_shapes(resource, batch_rows)
        return
    assert spec is not None and spec.lat is not None and spec.lon is not None
    lat_name, lon_name = spec.lat, spec.lon
    chars = _number_chars(resource)

    def located(batch: batches.Batch, crs: CRS | None) -> PointBatch:
        lat = numbers(batch.columns[lat_name], chars.get(lat_name, (".", "")))
        lon = numbers(batch.columns[lon_name], chars.get(lon_name, (".", "")))
        found = np.isfinite(lat) & np.isfinite(lon)
        return PointBatch(batch.rows[found], lon[found], lat[found], crs, len(batch))

    yield from geobatches.stream_geometry(resource, [lat_name, lon_name], batch_rows, located,
                                          _points_of)


def _from_shapes(resource: Resource, batch_rows: int) -> Iterator[PointBatch]:
    for batch in geobatches.geometry_batches(resource, batch_rows):
        yield _points_of(batch)


def _points_of(batch: geobatches.GeoBatch) -> PointBatch:
    geoms = batch.geoms
    located = (shapely.get_type_id(geoms) == 0) & ~shapely.is_empty(geoms)
    points = geoms[located]
    return PointBatch(batch.rows[located], np.asarray(shapely.get_x(points), dtype=float),
                      np.asarray(shapely.get_y(points), dtype=float), batch.crs, len(batch))


def points_of(batch: PointBatch | geobatches.GeoBatch) -> PointBatch:
    """The points of a batch of either kind."""
    return batch if isinstance(batch, PointBatch) else _points_of(batch)


def geometry_read(resource: Resource) -> Iterator[PointBatch | geobatches.GeoBatch]:
    """The resource's geometry batch by batch: as points where it is read from
    lat/lon columns (only_points), else as shapes."""
    if only_points(resource):
        return point_batches(resource)
    return geobatches.geometry_batches(resource)


class GeometryPass(Pass[T]):
    """A pass over a resource's geometry (geometry_read); one object makes one pass."""

    @abstractmethod
    def add(self, batch: PointBatch | geobatches.GeoBatch) -> None:
        """Take the next batch (in record order)."""

    def run(self, resource: Resource) -> T:
        for batch in geometry_read(resource):
            self.add(batch)
        return self.result()


class CrsPass(GeometryPass[T]):
    """A pass whose figures need the CRS: it takes no batch after one without a CRS
    (its result then says so, `crs_missing`)."""

    crs_missing = False

    def add(self, batch: PointBatch | geobatches.GeoBatch) -> None:
        if self.crs_missing:
            return
        if batch.crs is None:
            self.crs_missing = True
            return
        self.take(batch, batch.crs)

    @abstractmethod
    def take(self, batch: PointBatch | geobatches.GeoBatch, crs: CRS) -> None:
        """Take the next batch (in record order), whose CRS is `crs`."""


def read_geometry(resource: Resource, passes: Sequence[GeometryPass[Any]]) -> None:
    """One read of the resource's geometry for all the passes (the coordinate rules
    of a check), whose results are kept for publisher.rules._shared.result_of."""
    unique: dict[Hashable, GeometryPass[Any]] = {}
    for geometry_pass in passes:
        unique.setdefault(geometry_pass.key, geometry_pass)
    for batch in geometry_read(resource):
        for geometry_pass in unique.values():
            geometry_pass.add(batch)
    for key, geometry_pass in unique.items():
        keep(resource, key, geometry_pass.result())
