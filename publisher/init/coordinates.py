"""Latitude and longitude columns of a table, recognised as its geometry.

A pair is recognised when one column's name says latitude and another's says
longitude (German and English: lat, latitude, breite, breitengrad / lon, lng,
long, longitude, laenge, länge, laengengrad; as a word of the name, so
"geo_breite" and "WGS84_Lat" count), both are numbers, and every value lies
in range (latitude -90..90, longitude -180..180) with not all of them whole
numbers (a district number is no coordinate).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import shapely

from publisher.init.infer import Inferred, name_words
from publisher.package.geometry import WKT_NAMES
from publisher.package.model import GeometrySpec
from publisher.package.readers._tabular import latlon_geometry, wkt_geometry

LAT_WORDS = ("lat", "latitude", "breite", "breitengrad", "geobreite")
LON_WORDS = ("lon", "lng", "long", "longitude", "laenge", "laengengrad", "geolaenge")


def _named(fields: list[dict[str, Any]], words: tuple[str, ...]) -> list[str]:
    return [f["name"] for f in fields if f["type"] in ("number", "integer")
            and any(w in words for w in name_words(f["name"]))]


def _chars(fields: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {f["name"]: (str(f.get("decimalChar", ".")), str(f.get("groupChar", "")))
            for f in fields}


def latlon_pair(table: pd.DataFrame, inferred: Inferred) -> GeometrySpec | None:
    """The geometry spec of the first named latitude/longitude pair in range."""
    chars = _chars(inferred.fields)
    missing = set(inferred.missing_values)
    for lat in _named(inferred.fields, LAT_WORDS):
        for lon in _named(inferred.fields, LON_WORDS):
            if lat == lon:
                continue
            spec = GeometrySpec(kind="latlon", crs="EPSG:4326", lat=lat, lon=lon)
            cells = table[[lat, lon]].astype("string").fillna("")
            present = ~(cells[lat].isin(missing) | cells[lon].isin(missing))
            if not present.any():
                continue
            points = latlon_geometry(cells[present], spec, chars)
            if any(p is None for p in points):
                continue
            ys = np.array([p.y for p in points])
            xs = np.array([p.x for p in points])
            in_range = bool((np.abs(ys) <= 90).all() and (np.abs(xs) <= 180).all())
            whole = bool((ys == np.round(ys)).all() and (xs == np.round(xs)).all())
            if in_range and not whole:
                return spec
    return None


def wkt_column(table: pd.DataFrame, inferred: Inferred) -> tuple[GeometrySpec | None, str | None]:
    """The geometry spec of a text column named like WKT (wkt, geom, geometry,
    the_geom) whose every value is WKT: in WGS 84 when every coordinate lies in
    longitude/latitude range. Projected coordinates do not say their CRS (UTM
    zones 32 and 33 share their numbers): then None and a note saying so."""
    missing = set(inferred.missing_values)
    for spec_field in inferred.fields:
        name = spec_field["name"]
        if spec_field["type"] != "string" or name.lower() not in WKT_NAMES:
            continue
        text = table[name].astype("string").fillna("")
        present = text[~text.isin(missing)]
        if present.empty:
            continue
        spec = GeometrySpec(kind="wkt", crs="EPSG:4326", column=name)
        shapes = wkt_geometry(present.to_frame(), spec)
        if any(s is None for s in shapes):
            continue
        coords = shapely.get_coordinates(shapes)
        if len(coords) and (np.abs(coords[:, 0]) <= 180).all() \
                and (np.abs(coords[:, 1]) <= 90).all():
            return spec, None
        return None, (f"column '{name}' holds WKT geometry in projected coordinates; name "
                      'its CRS in datapackage.json: "geometry": {"kind": "wkt", "column": '
                      f'"{name}", "crs": "EPSG:25832"}} (or the CRS it is in)')
    return None, None
