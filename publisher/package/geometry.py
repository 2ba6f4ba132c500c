"""How a resource carries geometry: parsed from the descriptor or detected.

CSV resources may state it (`"geometry": {"kind": "latlon", "lat": ..., "lon":
..., "crs": ...}` or `{"kind": "wkt", "column": ..., "crs": ...}`), opt out
with `"geometry": false`, or leave it to detection by column name. GeoJSON and
GeoPackage are always native, with the CRS the file declares; `"geometry":
{"crs": ...}` names the CRS of a GeoJSON that declares none (else WGS 84), and
must agree with a CRS the file declares.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pyogrio
import pyproj

from publisher.errors import InputError
from publisher.package.geojsonwhy import why_unreadable
from publisher.package.model import GeometrySpec
from publisher.package.sniff import same_crs, shown_crs

LAT_NAMES = ("lat", "latitude", "breite", "breitengrad")
LON_NAMES = ("lon", "lng", "long", "longitude", "laenge", "laengengrad")
WKT_NAMES = ("wkt", "geom", "geometry", "the_geom")
DEFAULT_CRS = "EPSG:4326"
_DRIVERS = {"geojson": "GeoJSON", "gpkg": "GPKG", "shp": "ESRI Shapefile", "fgb": "FlatGeobuf"}
_NAMES = {"geojson": "GeoJSON", "gpkg": "a GeoPackage", "shp": "a Shapefile",
          "fgb": "FlatGeobuf"}


def _first(names: list[str], candidates: tuple[str, ...]) -> str | None:
    return next((n for n in names if n.lower() in candidates), None)


def detect_csv_geometry(field_names: list[str]) -> GeometrySpec | None:
    """latlon from a latitude and a longitude column, else wkt from a geometry
    column, else None (case-insensitive names)."""
    lat, lon = _first(field_names, LAT_NAMES), _first(field_names, LON_NAMES)
    if lat and lon:
        return GeometrySpec(kind="latlon", crs=DEFAULT_CRS, lat=lat, lon=lon)
    column = _first(field_names, WKT_NAMES)
    if column:
        return GeometrySpec(kind="wkt", crs=DEFAULT_CRS, column=column)
    return None


def check_crs(crs: object, resource: str) -> str:
    if not isinstance(crs, str) or not crs.strip():
        raise InputError(f"resource '{resource}': geometry crs must be a text like 'EPSG:25832'")
    try:
        pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as exc:
        raise InputError(f"resource '{resource}': unknown geometry crs {crs!r}") from exc
    return crs


def _column(spec: dict[str, Any], key: str, names: list[str], resource: str) -> str:
    value = spec.get(key)
    if not isinstance(value, str) or not value:
        raise InputError(
            f"resource '{resource}': geometry of kind '{spec.get('kind')}' needs '{key}' "
            "naming a column"
        )
    if value not in names:
        raise InputError(
            f"resource '{resource}': geometry column {value!r} is not a field of the "
            "resource's schema"
        )
    return value


def parse_csv_geometry(spec: object, field_names: list[str], resource: str) -> GeometrySpec:
    """A GeometrySpec from a CSV resource's `geometry` property, checked."""
    if not isinstance(spec, dict):
        raise InputError(
            f"resource '{resource}': geometry must be an object like "
            '{"kind": "latlon", "lat": "lat", "lon": "lon"} or false'
        )
    kind = spec.get("kind")
    crs = check_crs(spec.get("crs", DEFAULT_CRS), resource)
    if kind == "latlon":
        lat = _column(spec, "lat", field_names, resource)
        lon = _column(spec, "lon", field_names, resource)
        if lat == lon:
            raise InputError(f"resource '{resource}': geometry lat and lon name the same column")
        return GeometrySpec(kind="latlon", crs=crs, lat=lat, lon=lon)
    if kind == "wkt":
        return GeometrySpec(
            kind="wkt", crs=crs, column=_column(spec, "column", field_names, resource)
        )
    raise InputError(
        f"resource '{resource}': geometry kind {kind!r} is not supported for CSV "
        "(use 'latlon' or 'wkt')"
    )


def csv_geometry(
    descriptor: dict[str, Any], field_names: list[str], resource: str
) -> GeometrySpec | None:
    """The geometry of a CSV resource: stated, opted out, or detected."""
    if "geometry" not in descriptor:
        return detect_csv_geometry(field_names)
    spec = descriptor["geometry"]
    if spec is False or spec is None:
        return None
    return parse_csv_geometry(spec, field_names, resource)


def native_geometry(path: Path | str, fmt: str, layer: str | None, resource: str,
                    declared: str | None = None, stated: str | None = None) -> GeometrySpec:
    """Native geometry with the CRS the file declares (GeoJSON: EPSG:4326 if none).

    `declared` is the CRS a GeoJSON's crs member names (publisher.package.sniff):
    GDAL must have read that one, not fallen back to WGS 84. `stated` is the
    descriptor's geometry.crs, used by a Shapefile without a .prj file."""
    try:
        info = pyogrio.read_info(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        why = why_unreadable(Path(path)) if fmt == "geojson" else ""
        raise InputError(f"resource '{resource}': cannot open the {fmt} file"
                         + (f": {why}" if why else "")) from exc
    driver = info.get("driver")
    if driver != _DRIVERS[fmt]:
        raise InputError(
            f"resource '{resource}': the file is not {_NAMES[fmt]} (it reads as {driver})"
        )
    if info.get("geometry_type") in (None, "None"):
        raise InputError(
            f"resource '{resource}': the {fmt} layer has no geometry; "
            "non-spatial layers are not supported yet"
        )
    crs = info.get("crs")
    if not crs and stated is not None:
        crs = check_crs(stated, resource)
    if not crs:
        if fmt != "geojson":
            raise InputError(
                f"resource '{resource}': the {fmt} layer declares no coordinate reference system",
                hint="assign a CRS to the layer (for example EPSG:25832)"
                + (", or name it in the descriptor: \"geometry\": {\"crs\": \"EPSG:25832\"}"
                   if fmt == "shp" else ""),
            )
        crs = DEFAULT_CRS
    if declared is not None:
        _check_read_as_declared(str(crs), declared, Path(path).name, resource)
    return GeometrySpec(kind="native", crs=str(crs))


def _check_read_as_declared(read: str, declared: str, file: str, resource: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the deprecated +init= syntax warns
        same = same_crs(pyproj.CRS.from_user_input(read), pyproj.CRS.from_user_input(declared))
    if not same:
        raise InputError(
            f"resource '{resource}': {file} declares the geometry crs {shown_crs(declared)}, "
            f"which GDAL does not read as such (it reads {shown_crs(read)})",
            hint='name the CRS by its EPSG code, e.g. "urn:ogc:def:crs:EPSG::25832"',
        )


def gpkg_layer(path: Path, descriptor: dict[str, Any], resource: str) -> str:
    """The GeoPackage layer to read: the descriptor's `layer`, else the first one."""
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except pyogrio.errors.DataSourceError as exc:
        raise InputError(f"resource '{resource}': cannot open the gpkg file") from exc
    wanted = descriptor.get("layer")
    if wanted is None:
        if not layers:
            raise InputError(f"resource '{resource}': the GeoPackage has no layers")
        return layers[0]
    if wanted not in layers:
        raise InputError(
            f"resource '{resource}': layer {wanted!r} is not in the GeoPackage "
            f"(layers: {', '.join(layers) or 'none'})"
        )
    return str(wanted)


def stated_native_crs(spec: GeometrySpec, descriptor: dict[str, Any], fmt: str,
                      declared: str | None, file: str, resource: str) -> GeometrySpec:
    """The descriptor's `geometry.crs` for a GeoJSON or GeoPackage resource.

    A GeoJSON without a crs member is WGS 84 by RFC 7946, but files written in
    a projected CRS without one are common: there the descriptor names the
    CRS. Where the file names one itself, the descriptor must agree with it:
    a contradiction is refused rather than one of them silently ignored."""
    stated = descriptor.get("geometry")
    if not isinstance(stated, dict) or "crs" not in stated:
        return spec
    crs = check_crs(stated["crs"], resource)
    if fmt == "geojson" and declared is None:
        return GeometrySpec(kind="native", crs=crs)
    if not same_crs(pyproj.CRS.from_user_input(crs), pyproj.CRS.from_user_input(spec.crs)):
        raise InputError(
            f"resource '{resource}': the descriptor's geometry crs {shown_crs(crs)} "
            f"contradicts the crs {file} declares ({shown_crs(spec.crs)})",
            hint="remove geometry.crs from the descriptor, or correct the file")
    return spec
