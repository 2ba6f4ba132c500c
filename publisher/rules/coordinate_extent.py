"""coordinate-extent: geometries outside the declared extent (RULES.md section 2).

Germany and Austria lie within about lon 5.8 to 17.2 and lat 46.3 to 55.1;
a city's policy narrows `extent` to the city. A resource or package
descriptor may declare its own `bbox` ([min lon, min lat, max lon, max lat],
EPSG:4326), which is used instead. Coordinates outside usually mean swapped
axes or a wrong CRS.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pydantic import Field
from pyproj import CRS

from publisher.package.geobatches import geometry_batches, has_geometry
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._extent import ExtentParam
from publisher.rules._points import only_points, point_batches
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

    def check(self, package: Package) -> Iterable[Finding]:
        for resource in package.resources:
            if not has_geometry(resource):
                continue
            box = _bbox(resource.descriptor) or _bbox(package.descriptor) or self.params.extent
            shapes = outside = 0
            first: int | None = None
            for rows, bounds in _shapes(resource):
                away = ~((bounds[:, 0] >= box[0]) & (bounds[:, 1] >= box[1])
                         & (bounds[:, 2] <= box[2]) & (bounds[:, 3] <= box[3]))
                shapes += len(rows)
                outside += int(away.sum())
                if first is None and away.any():
                    first = int(rows[np.flatnonzero(away)[0]])
            if outside:
                yield self.finding(
                    f"{outside} of {shapes} geometries lie outside the "
                    f"extent {box}", resource=resource.name, field="geometry", row=first)


def _shapes(resource: Resource) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Per batch, the rows of the records with a geometry and its bounds in EPSG:4326;
    nothing after a batch without a CRS. Points (lat/lon columns) are read as
    coordinates (publisher.rules._points), with no shape built where the CRS is
    EPSG:4326 already."""
    if only_points(resource):
        for points in point_batches(resource):
            if points.crs is None:
                return
            if not len(points):
                continue
            if points.crs.is_exact_same(WGS84):  # as to_crs leaves them: a point's bounds
                yield points.rows, np.column_stack([points.x, points.y, points.x, points.y])
            else:
                yield points.rows, _bounds(shapely.points(points.x, points.y), points.crs)
        return
    for batch in geometry_batches(resource):
        if batch.crs is None:
            return
        geoms = batch.geoms
        present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        if present.any():
            yield batch.rows[present], _bounds(geoms[present], batch.crs)


def _bounds(geoms: np.ndarray, crs: CRS) -> np.ndarray:
    """Each shape's bounds in EPSG:4326, as GeoSeries.to_crs(...).bounds gives them."""
    series = gpd.GeoSeries(geoms, crs=crs)
    return np.asarray(series.to_crs("EPSG:4326").bounds.to_numpy(), dtype=float)


def _bbox(descriptor: dict[str, Any]) -> list[float] | None:
    box = descriptor.get("bbox")
    if isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box):
        return [float(v) for v in box]
    return None
