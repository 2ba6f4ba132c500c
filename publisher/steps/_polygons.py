"""The geometry of published aggregates: each grid cell or area row carries its
polygon, so the result stays spatial (map, GeoJSON, bbox search, DCAT extent).

The resource is published as CSV with the polygon as WKT in a `geometry`
column, in the CRS the step names (`crs`, WGS 84 by default). CSV rather than
GeoJSON: the count table stays readable as a table, the chosen CRS is written
as it is (RFC 7946 GeoJSON is always WGS 84; EPSG:3035 cells stay exact
squares with whole-metre corners), and the geometry spec tells every reader,
the API's GeoJSON and GeoParquet downloads among them, where the shapes are.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from pydantic import AfterValidator, Field

from publisher.package.model import GeometrySpec, Resource

GEOMETRY = "geometry"
DEFAULT_CRS = "EPSG:4326"


def _known_crs(value: str) -> str:
    try:
        pyproj.CRS.from_user_input(value)
    except pyproj.exceptions.CRSError:
        raise ValueError(f"unknown coordinate reference system {value!r}") from None
    return value


OutputCrs = Annotated[str, AfterValidator(_known_crs), Field(
    description="CRS of the published polygons, e.g. EPSG:4326 (default) or EPSG:3035")]


@lru_cache(maxsize=16)
def _transformer(source: str, target: str) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def _same(source: str, target: str) -> bool:
    return bool(pyproj.CRS.from_user_input(source).equals(pyproj.CRS.from_user_input(target)))


def _moved(x: np.ndarray, y: np.ndarray, source: str, target: str,
           rounded: bool = True) -> np.ndarray:
    """(n, 2) coordinates in TARGET, kept to 7 decimal places of a degree or 1 mm
    (about 1 cm: finer digits say nothing about a cell or an area, and only make
    the file longer)."""
    tx, ty = _transformer(source, target).transform(x, y)
    moved = np.column_stack([tx, ty])
    if not rounded:
        return moved
    places = 7 if pyproj.CRS.from_user_input(target).is_geographic else 3
    return np.round(moved, places)


def reproject(shapes: np.ndarray, source: str, target: str) -> np.ndarray:
    """The shapes in TARGET, all coordinates transformed in one pyproj call."""
    if _same(source, target):
        return shapes
    kept: np.ndarray = shapely.transform(shapes, lambda xy: _moved(xy[:, 0], xy[:, 1],
                                                                   source, target))
    # rounding may pinch a detailed boundary: such a shape keeps every digit
    pinched = ~shapely.is_valid(kept) & shapely.is_valid(shapes)
    if pinched.any():
        kept[pinched] = shapely.transform(
            shapes[pinched], lambda xy: _moved(xy[:, 0], xy[:, 1], source, target, False))
    return kept


def cell_polygons(east: np.ndarray, north: np.ndarray, size: np.ndarray, grid_crs: str,
                  crs: str) -> np.ndarray:
    """Square cells from their lower-left corners and edge lengths (grid units), in
    CRS: the five ring points of every cell transformed in one pyproj call."""
    east, north = np.asarray(east, dtype="float64"), np.asarray(north, dtype="float64")
    size = np.asarray(size, dtype="float64")
    # counter-clockwise from the lower-left corner, closed
    x = np.column_stack([east, east + size, east + size, east, east])
    y = np.column_stack([north, north, north + size, north + size, north])
    if _same(grid_crs, crs):
        ring = np.stack([x, y], axis=-1)
    else:
        ring = _moved(x.ravel(), y.ravel(), grid_crs, crs).reshape(len(east), 5, 2)
    shapes: np.ndarray = shapely.polygons(ring) if len(east) else np.zeros(0, dtype=object)
    return shapes


def with_polygons(frame: pd.DataFrame, shapes: np.ndarray, crs: str) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, index=frame.index, crs=crs))


def geometry_field(what: str, crs: str) -> dict[str, Any]:
    """The schema field of the WKT column."""
    return {"name": GEOMETRY, "type": "string", "title": f"{what} (WKT)",
            "description": f"polygon of the {what.lower()} as well-known text in {crs}",
            "constraints": {"required": True}}


def publish_with_polygons(resource: Resource, crs: str) -> None:
    """Declare the resource's data (a GeoDataFrame in CRS) as CSV with a WKT column."""
    resource.format = "csv"
    resource.geometry = GeometrySpec(kind="wkt", crs=crs, column=GEOMETRY)
    resource.descriptor["geometry"] = {"kind": "wkt", "column": GEOMETRY, "crs": crs}
