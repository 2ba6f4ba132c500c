"""Check that a geodata file is what its resource says before GDAL opens it.

GDAL picks its driver from the content, not from the format the descriptor
declares, so a `.geojson` holding KML or GML would reach the XML drivers
(entity expansion, external entities). And GDAL's GeoJSON driver fetches a CRS
given by `link` or `url` over the network (server-side request forgery).
So: a GeoJSON resource must be UTF-8 JSON starting with `{` whose CRS members
(at any depth, any letter case, escaped or not) only name a CRS (a name
GDAL does not know is read as WGS 84 and left to validation); a GeoPackage
must start with the SQLite header. XML formats (GML, KML) are never opened.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

from publisher.errors import InputError

SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 1024**2
# Either could spell a "crs" member: the name itself, or a JSON escape hiding it.
_MAYBE_CRS = re.compile(r"crs|\\u", re.IGNORECASE)
_BOM = "\ufeff"


def check_geodata(path: Path, fmt: str, resource: str) -> None:
    """InputError unless `path` holds what `fmt` (geojson or gpkg) promises."""
    if fmt == "gpkg":
        _check_gpkg(path, resource)
    elif fmt == "geojson":
        _check_geojson(path, resource)


def _check_gpkg(path: Path, resource: str) -> None:
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if head != SQLITE_MAGIC:
        raise InputError(
            f"resource '{resource}': the file is not a GeoPackage (it lacks the SQLite header)",
            hint="export the layer as GeoPackage (.gpkg)",
        )


def _scan(path: Path, resource: str) -> tuple[str, bool]:
    """The first characters of the text, and whether a CRS member may appear;
    InputError when the file is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    head, tail, maybe_crs = "", "", False
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                text = decoder.decode(chunk)
                if len(head) < 64:
                    head += text[: 64 - len(head)]
                maybe_crs = maybe_crs or _MAYBE_CRS.search(tail + text) is not None
                tail = text[-8:]
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(
            f"resource '{resource}': the GeoJSON file is not valid UTF-8",
            hint="GeoJSON must be UTF-8 encoded (RFC 7946)",
        ) from None
    return head, maybe_crs


def _check_geojson(path: Path, resource: str) -> None:
    head, maybe_crs = _scan(path, resource)
    start = head.lstrip(_BOM + " \t\r\n")[:1]
    if start != "{":
        what = "the file is empty" if not start else "a GeoJSON file starts with '{'"
        raise InputError(
            f"resource '{resource}': the file is not GeoJSON ({what})",
            hint="XML formats such as GML and KML are not supported; convert to GeoJSON",
        )
    if maybe_crs:
        for crs in _crs_members(path, resource):
            _check_crs_member(crs, resource)


def _crs_members(path: Path, resource: str) -> list[Any]:
    found: list[Any] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found.extend(value for key, value in pairs if key.lower() == "crs")
        return dict(pairs)

    try:
        with open(path, encoding="utf-8-sig") as fh:
            json.load(fh, object_pairs_hook=hook)
    except RecursionError:
        raise InputError(f"resource '{resource}': the GeoJSON is nested too deeply") from None
    except ValueError as exc:
        raise InputError(
            f"resource '{resource}': the file is not GeoJSON (not valid JSON: "
            f"{getattr(exc, 'msg', 'parse error')})"
        ) from None
    return found


def _check_crs_member(crs: Any, resource: str) -> None:
    if crs is None:
        return
    kind = str(crs.get("type", "")).lower() if isinstance(crs, dict) else ""
    props = crs.get("properties") if isinstance(crs, dict) else None
    props = props if isinstance(props, dict) else {}
    if kind in ("link", "url"):
        raise InputError(
            f"resource '{resource}': the GeoJSON declares its CRS by link or URL, which "
            "is never fetched",
            hint='name the CRS instead: "crs": {"type": "name", "properties": '
            '{"name": "urn:ogc:def:crs:EPSG::25832"}}, or use EPSG:4326 without a crs member',
        )
    if kind == "epsg" and isinstance(props.get("code"), int):
        name = f"EPSG:{props['code']}"
    elif kind == "name" and isinstance(props.get("name"), str):
        name = props["name"]
    else:
        raise InputError(
            f"resource '{resource}': the GeoJSON has a crs member that does not name a CRS"
        )
    if "://" in name and not name.startswith("http://www.opengis.net/def/crs/"):
        raise InputError(
            f"resource '{resource}': the GeoJSON declares its CRS by link or URL, which "
            "is never fetched"
        )
