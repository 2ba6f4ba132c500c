"""Vector files read with pyogrio (GDAL): GeoJSON, GeoPackage, Shapefile, FlatGeobuf.

Invalid geometries (self-intersections) are read as they are, for validation
to report; the index is the 1-based feature number.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from publisher.errors import InputError
from publisher.package.bounds import check_attributes, check_vertices
from publisher.package.model import Resource
from publisher.package.sniff import same_crs

OGR_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
)


@contextmanager
def _strict_rings() -> Iterator[None]:
    """GDAL passes unclosed rings on, and GEOS then refuses the whole layer; told
    not to accept them, GDAL reads such a polygon as empty (one finding)."""
    key = "OGR_GEOMETRY_ACCEPT_UNCLOSED_RING"
    old = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: "NO"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: old})


def read_vector(resource: Resource, path: Path | str, title: str, layer: str | None = None,
                **options: Any) -> pd.DataFrame:
    """The features of one layer as a GeoDataFrame with a `geometry` column and the
    resource's CRS, indexed 1, 2, ... (feature numbers)."""
    try:
        with _strict_rings(), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(path, engine="pyogrio", layer=layer, **options)
    except (*OGR_ERRORS, shapely.errors.GEOSException) as exc:
        raise InputError(
            f"resource '{resource.name}': cannot read the {title} file (damaged or not valid)"
        ) from exc
    except UnicodeDecodeError as exc:
        encoding = options.get("encoding") or "the encoding it declares"
        raise InputError(
            f"resource '{resource.name}': the text of the {title} file cannot be decoded as "
            f"{encoding}", hint="set the resource's `encoding` (for a Shapefile: the one its "
                                ".cpg file should name, e.g. cp1252)") from exc
    return settle_frame(resource, frame, title)


def settle_frame(resource: Resource, frame: Any, title: str) -> pd.DataFrame:
    """A read frame given the `geometry` column name, the CRS and feature numbers,
    its attributes and geometries checked against the limits."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"resource '{resource.name}': the {title} file has no geometry")
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    if frame.crs is None:
        crs = resource.geometry.crs if resource.geometry else "EPSG:4326"
        frame = frame.set_crs(crs)
    elif resource.geometry and not same_crs(frame.crs, pyproj.CRS.from_user_input(
            resource.geometry.crs)):
        # a file without a CRS of its own, whose descriptor names one (the loader checked)
        frame = frame.set_crs(resource.geometry.crs, allow_override=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    check_attributes(frame, resource.name)
    check_vertices(np.asarray(frame.geometry.array, dtype=object), frame.index, resource.name)
    result: pd.DataFrame = frame
    return result


def layers(path: Path) -> list[str]:
    """The layer names of a vector file that have geometry."""
    try:
        listed = pyogrio.list_layers(path)
    except OGR_ERRORS:
        return []
    return [str(name) for name, kind in listed if kind not in (None, "None")]
