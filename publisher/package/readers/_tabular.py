"""Geometry from the text columns of a table (CSV, spreadsheet sheets).

latlon: two number columns (their schema fields' decimalChar and groupChar
count, so "51,3397" is read as 51.3397 where the field says so); wkt: one
column of WKT text. The columns leave the frame for the `geometry` column.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from publisher.errors import InputError
from publisher.package.bounds import check_wkt
from publisher.package.model import GeometrySpec, Resource


def with_geometry(table: pd.DataFrame, resource: Resource, where: str) -> pd.DataFrame:
    """The table with its geometry columns turned into `geometry` (unchanged
    when the resource has no geometry spec). `where` names the header in messages."""
    spec = resource.geometry
    if spec is None:
        return table
    missing = [c for c in spec.columns if c not in table.columns]
    if missing or (spec.kind == "wkt" and not spec.columns):
        raise InputError(
            f"resource '{resource.name}': geometry column(s) "
            f"{', '.join(repr(c) for c in missing)} not found in {where}"
        )
    if spec.kind == "latlon":
        geometry = latlon_geometry(table, spec, _number_chars(resource))
    else:
        geometry = wkt_geometry(table, spec, resource.name)
    frame: pd.DataFrame = gpd.GeoDataFrame(
        table.drop(columns=list(spec.columns)),
        geometry=gpd.GeoSeries(geometry, index=table.index, crs=spec.crs),
    )
    return frame


def _number_chars(resource: Resource) -> dict[str, tuple[str, str]]:
    """(decimalChar, groupChar) of each schema field that sets one."""
    chars = {}
    for field in resource.schema.get("fields", []):
        if isinstance(field, dict) and ("decimalChar" in field or "groupChar" in field):
            chars[str(field.get("name"))] = (str(field.get("decimalChar", ".")),
                                             str(field.get("groupChar", "")))
    return chars


def _numbers(column: pd.Series, chars: tuple[str, str] = (".", "")) -> np.ndarray:
    text = column.astype("string").str.strip()
    decimal, group = chars
    if group:
        text = text.str.replace(group, "", regex=False)
    if decimal != ".":
        text = text.str.replace(decimal, ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)


def latlon_geometry(table: pd.DataFrame, spec: GeometrySpec,
                    chars: dict[str, tuple[str, str]] | None = None) -> np.ndarray:
    """Points from the lat/lon text columns; None where either is not a number."""
    assert spec.lat is not None and spec.lon is not None
    chars = chars or {}
    lat = _numbers(table[spec.lat], chars.get(spec.lat, (".", "")))
    lon = _numbers(table[spec.lon], chars.get(spec.lon, (".", "")))
    points = shapely.points(lon, lat)
    points[~(np.isfinite(lat) & np.isfinite(lon))] = None
    return np.asarray(points, dtype=object)


def wkt_geometry(table: pd.DataFrame, spec: GeometrySpec, resource: str = "") -> np.ndarray:
    """Geometries from WKT text; None where empty or not parseable. Texts nested
    too deeply or with too many vertices are refused before GEOS parses them
    (publisher.package.bounds)."""
    text = table[spec.column].astype("string").str.strip().fillna("")
    values = text.to_numpy(dtype=object)
    values[(text == "").to_numpy()] = None
    check_wkt(values, table.index.tolist(), resource, spec.column)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(shapely.from_wkt(values, on_invalid="ignore"), dtype=object)
