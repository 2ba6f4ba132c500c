"""GeoParquet: read with pyarrow (geopandas.read_parquet); the CRS comes from
the file's `geo` metadata (PROJJSON; none given means OGC:CRS84, i.e. WGS 84
longitude/latitude). A Parquet file without `geo` metadata is not GeoParquet
and is refused. Published as GeoPackage.

A resource's path may also name a folder of GeoParquet files (hive-style
partitions too) or an S3 prefix (publisher.package.readers._parquetset): its
records are those of one file holding the files' records in path order."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyproj

from publisher.errors import InputError
from publisher.package.geometry import DEFAULT_CRS, check_crs, stated_native_crs
from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._ogr import settle_frame
from publisher.package.readers._parquetset import read_table
from publisher.package.readers.base import InputFormat, input_formats

PARQUET_MAGIC = b"PAR1"
_ERRORS = (pa.ArrowException, OSError, ValueError)


def geo_metadata(path: Path, resource: str) -> dict[str, Any]:
    """The file's `geo` metadata; InputError when it is not GeoParquet."""
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head != PARQUET_MAGIC:
        raise InputError(f"resource '{resource}': the file is not Parquet (it lacks the "
                         "Parquet header)")
    try:
        metadata = pq.read_schema(path).metadata
    except _ERRORS as exc:
        raise InputError(f"resource '{resource}': cannot read the Parquet file "
                         "(damaged or not valid)") from exc
    return _checked_geo(metadata, resource)


def _checked_geo(metadata: dict[bytes, bytes] | None, resource: str) -> dict[str, Any]:
    try:
        geo = json.loads((metadata or {})[b"geo"]) if b"geo" in (metadata or {}) else None
    except json.JSONDecodeError as exc:
        raise InputError(f"resource '{resource}': cannot read the Parquet file "
                         "(damaged or not valid)") from exc
    if not isinstance(geo, dict) or not isinstance(geo.get("columns"), dict) \
            or geo.get("primary_column") not in geo["columns"]:
        raise InputError(f"resource '{resource}': the Parquet file is not GeoParquet (it has "
                         "no valid 'geo' metadata naming its geometry column)",
                         hint="write it as GeoParquet (geopandas to_parquet, GDAL, QGIS)")
    return geo


def _crs(geo: dict[str, Any], resource: str) -> str | None:
    column = geo["columns"][geo["primary_column"]]
    if not isinstance(column, dict) or "crs" not in column:
        return DEFAULT_CRS  # the GeoParquet default, OGC:CRS84
    if column["crs"] is None:
        return None  # explicitly unknown
    try:
        crs = pyproj.CRS.from_user_input(column["crs"])
    except pyproj.exceptions.CRSError as exc:
        raise InputError(f"resource '{resource}': the GeoParquet file declares a CRS that "
                         "pyproj does not know") from exc
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else str(crs.to_wkt())


@input_formats.register
class GeoParquet(InputFormat):
    type = "geoparquet"
    title = "GeoParquet"
    extensions = ("parquet", "geoparquet")
    aliases = ("parquet",)
    published_as = "gpkg"
    native_geometry = True
    record = "feature"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        if resource.dataset is not None:
            geo = _checked_geo(resource.dataset.schema.metadata, resource.name)
            file = resource.dataset.where
        else:
            assert resource.path is not None
            geo, file = geo_metadata(resource.path, resource.name), resource.path.name
        crs = _crs(geo, resource.name)
        stated = resource.descriptor.get("geometry")
        if crs is None and isinstance(stated, dict) and "crs" in stated:
            crs = check_crs(stated["crs"], resource.name)
        if crs is None:
            raise InputError(
                f"resource '{resource.name}': the GeoParquet file declares no coordinate "
                "reference system", hint='name it in the descriptor: "geometry": '
                '{"crs": "EPSG:25832"}')
        return stated_native_crs(GeometrySpec(kind="native", crs=crs), resource.descriptor,
                                 "geoparquet", None, file, resource.name)

    def read(self, resource: Resource) -> pd.DataFrame:
        try:
            if resource.dataset is not None:
                from geopandas.io.arrow import _arrow_to_geopandas  # what read_parquet does

                frame = _arrow_to_geopandas(read_table(resource.dataset, resource.name))
            else:
                assert resource.path is not None
                frame = gpd.read_parquet(resource.path)
        except _ERRORS as exc:
            raise InputError(f"resource '{resource.name}': cannot read the GeoParquet file "
                             "(damaged or not valid)") from exc
        return frame_of(resource, frame)


def frame_of(resource: Resource, frame: Any) -> pd.DataFrame:
    """The records as every reader of GeoParquet gives them (a whole file, a set of
    files, or one row group of them)."""
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()  # a named index is a column of the data
    for name in frame.columns:
        if name != frame.geometry.name and isinstance(frame[name].dtype,
                                                      gpd.array.GeometryDtype):
            frame[name] = frame[name].to_wkt()  # one geometry per record; others as text
    return settle_frame(resource, frame, "GeoParquet")
