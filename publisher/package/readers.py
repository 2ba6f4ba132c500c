"""Read a resource's records into a DataFrame or GeoDataFrame.

CSV cells stay text; latlon / wkt columns become the `geometry` column (and
leave the frame). GeoJSON and GeoPackage are read with pyogrio; invalid
geometries (self-intersections) are read as they are, for validation to report.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from publisher.errors import InputError
from publisher.package.csvio import csv_options, read_csv_table
from publisher.package.geometry import gpkg_layer
from publisher.package.model import GeometrySpec, Resource
from publisher.package.sniff import same_crs

_OGR_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.GeometryError,
    pyogrio.errors.CRSError,
)


def read_resource(resource: Resource) -> pd.DataFrame:
    """The resource's records: index = source row (CSV) or feature number."""
    if resource.path is None:
        raise InputError(f"resource '{resource.name}': has no file to read")
    if resource.format == "csv":
        return _read_csv(resource)
    if resource.format in ("geojson", "gpkg"):
        return _read_native(resource)
    raise InputError(f"resource '{resource.name}': unsupported format {resource.format!r}")


def _read_csv(resource: Resource) -> pd.DataFrame:
    assert resource.path is not None
    opts = csv_options(resource.descriptor, resource.name)
    table = read_csv_table(resource.path, opts, resource.name)
    spec = resource.geometry
    if spec is None:
        return table
    missing = [c for c in spec.columns if c not in table.columns]
    if missing or (spec.kind == "wkt" and not spec.columns):
        raise InputError(
            f"resource '{resource.name}': geometry column(s) "
            f"{', '.join(repr(c) for c in missing)} not found in the CSV header"
        )
    geometry = latlon_geometry(table, spec) if spec.kind == "latlon" else wkt_geometry(table, spec)
    frame: pd.DataFrame = gpd.GeoDataFrame(
        table.drop(columns=list(spec.columns)),
        geometry=gpd.GeoSeries(geometry, index=table.index, crs=spec.crs),
    )
    return frame


def _numbers(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column.str.strip(), errors="coerce").to_numpy(dtype=float)


def latlon_geometry(table: pd.DataFrame, spec: GeometrySpec) -> np.ndarray:
    """Points from the lat/lon text columns; None where either is not a number."""
    lat, lon = _numbers(table[spec.lat]), _numbers(table[spec.lon])
    points = shapely.points(lon, lat)
    points[~(np.isfinite(lat) & np.isfinite(lon))] = None
    return np.asarray(points, dtype=object)


def wkt_geometry(table: pd.DataFrame, spec: GeometrySpec) -> np.ndarray:
    """Geometries from WKT text; None where empty or not parseable."""
    text = table[spec.column].str.strip()
    values = text.to_numpy(dtype=object)
    values[(text == "").to_numpy()] = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(shapely.from_wkt(values, on_invalid="ignore"), dtype=object)


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


def _read_native(resource: Resource) -> pd.DataFrame:
    assert resource.path is not None
    layer = (
        gpkg_layer(resource.path, resource.descriptor, resource.name)
        if resource.format == "gpkg"
        else None
    )
    # GeoJSON dates are text in the file; GDAL would parse them (and move naive
    # times to UTC), so they stay text like CSV cells.
    options = {"DATE_AS_STRING": "YES"} if resource.format == "geojson" else {}
    try:
        with _strict_rings(), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = gpd.read_file(resource.path, engine="pyogrio", layer=layer, **options)
    except (*_OGR_ERRORS, shapely.errors.GEOSException) as exc:
        raise InputError(
            f"resource '{resource.name}': cannot read the {resource.format} file "
            "(damaged or not valid)"
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InputError(f"resource '{resource.name}': the {resource.format} file has no geometry")
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    if frame.crs is None:
        crs = resource.geometry.crs if resource.geometry else "EPSG:4326"
        frame = frame.set_crs(crs)
    elif resource.geometry and not same_crs(frame.crs, pyproj.CRS.from_user_input(
            resource.geometry.crs)):
        # a GeoJSON without a crs member, whose descriptor names its CRS (the loader checked)
        frame = frame.set_crs(resource.geometry.crs, allow_override=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    result: pd.DataFrame = frame
    return result
