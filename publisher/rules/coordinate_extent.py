"""coordinate-extent: geometries outside the declared extent (RULES.md section 2).

Germany and Austria lie within about lon 5.8 to 17.2 and lat 46.3 to 55.1;
a city's policy narrows `extent` to the city. A resource or package
descriptor may declare its own `bbox` ([min lon, min lat, max lon, max lat],
EPSG:4326), which is used instead. Coordinates outside usually mean swapped
axes or a wrong CRS.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pydantic import Field
from pyproj import CRS

from publisher.package.geobatches import GeoBatch, has_geometry
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._extent import ExtentParam
from publisher.rules._points import CrsPass, GeometryPass, PointBatch
from publisher.rules._shared import result_of
from publisher.rules.base import Rule, RuleParams, rules

WGS84 = CRS.from_user_input("EPSG:4326")


class CoordinateExtentParams(RuleParams):
    extent: ExtentParam = Field(description="The area the data should lie in: [min lon, min "
                                            "lat, max lon, max lat] in degrees; default: "
                                            "Germany and Austria.")


@rules.register
class CoordinateExtent(Rule[CoordinateExtentParams]):
    type = "coordinate-extent"
    example = """\
- id: coordinate-extent
  type: coordinate-extent
  severity: warn
  params:
    extent: [9.5, 46.3, 17.2, 49.1]  # Austria
"""
    default_severity = Severity.WARN
    hint = "check the axis order (lat/lon) and the declared CRS of the resource"

    def geometry_passes(self, package: Package, resource: Resource) -> list[GeometryPass[Any]]:
        return [_Outside(self._box(package, resource))] if has_geometry(resource) else []

    def _box(self, package: Package, resource: Resource) -> list[float]:
        return _bbox(resource.descriptor) or _bbox(package.descriptor) or self.params.extent

    def check(self, package: Package) -> Iterable[Finding]:
        for resource in package.resources:
            if not has_geometry(resource):
                continue
            box = self._box(package, resource)
            shapes, outside, first = result_of(resource, _Outside(box))
            if outside:
                yield self.finding(
                    f"{outside} of {shapes} geometries lie outside the "
                    f"extent {box}", resource=resource.name, field="geometry", row=first)


class _Outside(CrsPass[tuple[int, int, int | None]]):
    """The records with a geometry, those outside the box, the first of them; nothing
    counted after a batch without a CRS. Points (lat/lon columns) are taken as
    coordinates, with no shape built where the CRS is EPSG:4326 already."""

    def __init__(self, box: list[float]) -> None:
        self.box = box
        self.shapes = self.outside = 0
        self.first: int | None = None

    @property
    def key(self) -> Hashable:
        return ("coordinate-extent", tuple(self.box))

    def take(self, batch: PointBatch | GeoBatch, crs: CRS) -> None:
        found = _bounds_of(batch, crs)
        if found is None:
            return
        rows, bounds = found
        box = self.box
        away = ~((bounds[:, 0] >= box[0]) & (bounds[:, 1] >= box[1])
                 & (bounds[:, 2] <= box[2]) & (bounds[:, 3] <= box[3]))
        self.shapes += len(rows)
        self.outside += int(away.sum())
        if self.first is None and away.any():
            self.first = int(rows[np.flatnonzero(away)[0]])

    def result(self) -> tuple[int, int, int | None]:
        return self.shapes, self.outside, self.first


def _bounds_of(batch: PointBatch | GeoBatch, crs: CRS) -> tuple[np.ndarray, np.ndarray] | None:
    """The rows of the batch's records with a geometry and its bounds in EPSG:4326."""
    if isinstance(batch, PointBatch):
        if not len(batch):
            return None
        if crs.is_exact_same(WGS84):  # as to_crs leaves them: a point's bounds
            return batch.rows, np.column_stack([batch.x, batch.y, batch.x, batch.y])
        return batch.rows, _bounds(shapely.points(batch.x, batch.y), crs)
    geoms = batch.geoms
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not present.any():
        return None
    return batch.rows[present], _bounds(geoms[present], crs)


def _bounds(geoms: np.ndarray, crs: CRS) -> np.ndarray:
    """Each shape's bounds in EPSG:4326, as GeoSeries.to_crs(...).bounds gives them."""
    series = gpd.GeoSeries(geoms, crs=crs)
    return np.asarray(series.to_crs("EPSG:4326").bounds.to_numpy(), dtype=float)


def _bbox(descriptor: dict[str, Any]) -> list[float] | None:
    box = descriptor.get("bbox")
    if isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box):
        return [float(v) for v in box]
    return None
