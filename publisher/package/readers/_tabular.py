"""Geometry from the text columns of a table (CSV, spreadsheet sheets).

latlon: two number columns (their schema fields' decimalChar and groupChar
count, so "51,3397" is read as 51.3397 where the field says so); wkt: one
column of WKT text. The columns leave the frame for the `geometry` column.
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
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


def _parsed_numbers(column: pd.Series, chars: tuple[str, str] = (".", "")) -> np.ndarray:
    """The reference parse of number cells (pandas): NaN where not a number."""
    text = column.astype("string").str.strip()
    decimal, group = chars
    if group:
        text = text.str.replace(group, "", regex=False)
    if decimal != ".":
        text = text.str.replace(decimal, ".", regex=False)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)


# a plain decimal, which Arrow's cast reads as _parsed_numbers does
_PLAIN = r"^[ \t]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*$"


def numbers(array: pa.Array, chars: tuple[str, str] = (".", "")) -> npt.NDArray[np.float64]:
    """The cells of a lat/lon column as _parsed_numbers reads them (NaN where not a
    number): plain decimals by Arrow's cast, the other non-empty cells by the
    reference parse."""
    text = array.cast(pa.string())
    if chars != (".", ""):
        return _parsed_numbers(pd.Series(text.to_pylist(), dtype="string"), chars)
    out = np.full(len(text), np.nan)
    plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN), False)
    picked = pc.filter(text, plain)
    if len(picked):
        out[np.flatnonzero(plain.to_numpy(zero_copy_only=False))] = \
            pc.cast(pc.utf8_trim_whitespace(picked), pa.float64()).to_numpy()
    other = pc.and_(pc.invert(plain), pc.greater(pc.binary_length(text), 0))
    odd = np.flatnonzero(pc.fill_null(other, False).to_numpy(zero_copy_only=False))
    if odd.size:
        cells = text.take(pa.array(odd)).to_pylist()
        out[odd] = _parsed_numbers(pd.Series(cells, dtype="string"))
    return out


def _numbers(column: pd.Series, chars: tuple[str, str] = (".", "")) -> np.ndarray:
    """A frame's lat/lon column as numbers (numbers(), over its cells as text)."""
    if chars != (".", ""):
        return _parsed_numbers(column, chars)
    return numbers(pa.array(column.astype("string")))


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
