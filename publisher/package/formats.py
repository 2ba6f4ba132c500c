"""Write one resource's records as CSV, GeoJSON or GeoPackage, deterministically.

CSV: UTF-8, "\\n" line ends, latlon / wkt columns derived again from the
geometry (in the spec's CRS), text cells a spreadsheet would run as a formula
neutralised with a leading single quote (OWASP CSV injection guidance).
GeoJSON: RFC 7946 (EPSG:4326, right-hand rings, 7 decimal places).
GeoPackage: timestamps pinned so the same records give the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely

from publisher.errors import InputError
from publisher.package.model import GeometrySpec, Resource

FIXED_TIMESTAMP = "2000-01-01T00:00:00.000Z"
EXTENSIONS = {"csv": "csv", "geojson": "geojson", "gpkg": "gpkg"}
MEDIATYPES = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


def ordered_columns(
    frame: pd.DataFrame, schema_order: list[str], skip: tuple[str, ...] = ()
) -> list[str]:
    """Schema field order first, then columns the schema does not know."""
    present = [str(c) for c in frame.columns if str(c) not in skip]
    known = [n for n in schema_order if n in present]
    return known + [c for c in present if c not in known]


def _crs_text(crs: pyproj.CRS | None, fallback: str) -> str:
    if crs is None:
        return fallback
    authority = crs.to_authority()
    return f"{authority[0]}:{authority[1]}" if authority else str(crs.to_wkt())


def _coordinate_text(values: np.ndarray, decimal_char: str = ".") -> pd.Series:
    """Shortest round-trip float text; empty where missing. A field with a
    decimalChar (a German "51,3397") gets its numbers written back that way. Each
    distinct number (by its bits: -0.0 is not 0.0) is written once where they repeat
    (rounded coordinates)."""
    series = pd.Series(values, dtype=float)
    codes, bits = pd.factorize(series.to_numpy().view(np.int64))
    if len(bits) * 2 < len(series):
        texts = pd.Series(bits.view(np.float64)).astype(str).to_numpy(dtype=object)
        text = pd.Series(texts[codes], index=series.index, dtype=str)
    else:
        text = series.astype(str)
    if decimal_char != ".":
        text = text.str.replace(".", decimal_char, regex=False)
    return text.where(np.isfinite(values), "")


def _decimal_char(resource: Resource, name: str) -> str:
    field = next((f for f in resource.schema.get("fields", [])
                  if isinstance(f, dict) and f.get("name") == name), {})
    return str(field.get("decimalChar", "."))


def csv_frame(resource: Resource, frame: pd.DataFrame) -> tuple[pd.DataFrame, GeometrySpec | None]:
    """The frame as CSV text columns, and the geometry spec the file carries."""
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
        return pd.DataFrame(frame), None
    geo = frame.geometry
    spec = resource.geometry
    if spec is None or spec.kind == "native":
        spec = GeometrySpec(kind="wkt", crs=_crs_text(geo.crs, "EPSG:4326"), column="geometry")
    if geo.crs is not None and not geo.crs.equals(pyproj.CRS.from_user_input(spec.crs)):
        geo = geo.to_crs(spec.crs)
    plain = pd.DataFrame(frame.drop(columns=[geo.name]))
    shapes = np.asarray(geo.array, dtype=object)
    if spec.kind == "latlon":
        assert spec.lat is not None and spec.lon is not None
        points = shapes.copy()
        other = shapely.get_type_id(shapes) != 0  # a centroid only where not a point already
        if other.any():
            points[other] = shapely.centroid(shapes[other])
        plain[spec.lat] = _coordinate_text(shapely.get_y(points),
                                           _decimal_char(resource, spec.lat)).to_numpy()
        plain[spec.lon] = _coordinate_text(shapely.get_x(points),
                                           _decimal_char(resource, spec.lon)).to_numpy()
    else:
        assert spec.column is not None
        wkt = pd.Series(shapely.to_wkt(shapes, rounding_precision=-1), index=plain.index)
        plain[spec.column] = wkt.where(~shapely.is_empty(shapes) & wkt.notna(), "")
    return plain, spec


# OWASP's CSV injection guidance: a spreadsheet runs a cell starting with one of
# these as a formula ("=cmd|' /C calc'!A0", "@SUM(...)", "+HYPERLINK(...)").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TEXT_TYPES = ("string", "any", None)


def neutralise_formulas(frame: pd.DataFrame, resource: Resource) -> tuple[pd.DataFrame, int]:
    """The frame with every text cell that a spreadsheet would run as a formula
    prefixed with a single quote (OWASP); and how many cells were changed.

    Only text fields (a schema type of string or any, or no schema field) are
    looked at: number, date and other typed fields were validated to hold
    their type. A number written as text ("-3.5", "+1e3") and a lone "-" or
    "+" (placeholders for nothing) stay as they are."""
    types = {f.get("name"): f.get("type") for f in resource.schema.get("fields", [])
             if isinstance(f, dict)}
    changed = 0
    out = frame
    for name in frame.columns:
        if types.get(name) not in _TEXT_TYPES or not (
                frame[name].dtype == object or pd.api.types.is_string_dtype(frame[name])):
            continue
        text = frame[name].astype("string")
        risky = text.str.startswith(FORMULA_START).fillna(False) & (text.str.len() > 1)
        if not risky.any():
            continue
        number = pd.to_numeric(text.where(risky), errors="coerce").notna()
        risky &= ~number
        if risky.any():
            if out is frame:
                out = frame.copy()
            out.loc[risky, name] = "'" + text[risky]
            changed += int(risky.sum())
    return out, changed


def write_csv(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    # Python's csv writer quotes a cell holding "\n" but not one holding a lone "\r"
    # (not in the line terminator), which readers then take for a line break.
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv_part(frame, columns, handle, header=True,
                       quote_all=has_lone_cr(frame, columns))


def has_lone_cr(frame: pd.DataFrame, columns: list[str]) -> bool:
    """Whether a text cell holds a carriage return (the file is then quoted throughout)."""
    part = frame[columns]
    texts = [c for c in columns if part[c].dtype == object or pd.api.types.is_string_dtype(
        part[c])]
    return any(part[c].astype("string").str.contains("\r", regex=False).any() for c in texts)


def write_csv_part(frame: pd.DataFrame, columns: list[str], handle: TextIO, *, header: bool,
                   quote_all: bool) -> None:
    """Some records (the header with the first) to an open UTF-8 text file."""
    frame[columns].to_csv(handle, index=False, header=header, lineterminator="\n",
                          na_rep="", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)


def _geo(resource: Resource, frame: pd.DataFrame) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
        raise InputError(
            f"resource '{resource.name}': {resource.format} needs geometry, but the table has none"
        )
    if frame.crs is None:
        return frame.set_crs(resource.geometry.crs if resource.geometry else "EPSG:4326")
    return frame


def _plain(value: object) -> object:
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _nested(gdf: gpd.GeoDataFrame, columns: list[str], *, as_text: bool) -> gpd.GeoDataFrame:
    """Array and object properties as GDAL writes them faithfully: plain lists and
    dicts for GeoJSON (GDAL would write a numpy array's repr), JSON text for a
    GeoPackage (which has no such column type; GDAL would write Python's repr)."""
    out = gdf
    for name in columns:
        if gdf[name].dtype != object:
            continue
        values = gdf[name]
        if not values.map(lambda v: isinstance(v, (np.ndarray, list, tuple, dict))).any():
            continue
        plain = values.map(_plain)
        if as_text:
            plain = plain.map(lambda v: json.dumps(v, ensure_ascii=False)
                              if isinstance(v, (list, dict)) else v)
        if out is gdf:
            out = gdf.copy()
        out[name] = plain
    return out


def write_geojson(resource: Resource, frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    gdf = _nested(_geo(resource, frame), columns, as_text=False)
    if not gdf.crs.equals(pyproj.CRS.from_epsg(4326)):
        gdf = gdf.to_crs(4326)
    path.unlink(missing_ok=True)
    gdf[[*columns, gdf.geometry.name]].to_file(
        path,
        driver="GeoJSON",
        engine="pyogrio",
        layer=resource.name,
        index=False,
        layer_options={"RFC7946": "YES"},
    )


@contextmanager
def _fixed_gdal_date() -> Iterator[None]:
    """GDAL stamps GeoPackage metadata with the current time unless told a date."""
    key = "OGR_CURRENT_DATE"
    old = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: FIXED_TIMESTAMP})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: old})


def write_gpkg(resource: Resource, frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    gdf = _nested(_geo(resource, frame), columns, as_text=True)
    path.unlink(missing_ok=True)
    with _fixed_gdal_date():
        gdf[[*columns, gdf.geometry.name]].to_file(
            path, driver="GPKG", engine="pyogrio", layer=resource.name, index=False
        )
