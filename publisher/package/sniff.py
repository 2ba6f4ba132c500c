"""Check that a geodata file is what its resource says before GDAL opens it.

GDAL picks its driver from the content, not from the format the descriptor
declares, so a `.geojson` holding KML or GML would reach the XML drivers
(entity expansion, external entities). And GDAL's GeoJSON driver fetches a CRS
given by `link` or `url` over the network (server-side request forgery).
So: a GeoJSON resource must be UTF-8 JSON starting with `{` whose CRS members
(at any depth, any letter case, escaped or not) only name a CRS; a GeoPackage
must start with the SQLite header. XML formats (GML, KML) are never opened.

GDAL reads a CRS name it does not know as WGS 84, and ignores CRS members
below the top level, so coordinates would silently be taken for degrees: a
name pyproj does not know is refused, and so is a member inside a feature or
geometry that names another CRS than the file's.

GDAL also cuts a text at a NUL character (`\u0000`), so "Max\u0000Mustermann"
would be read as "Max": a GeoJSON holding one is refused.
"""

from __future__ import annotations

import codecs
import json
import re
import warnings
from pathlib import Path
from typing import Any

import pyproj

from publisher.errors import InputError

SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 1024**2
# Either could spell a "crs" member: the name itself, or a JSON escape hiding it.
_MAYBE_CRS = re.compile(r"crs|\\u", re.IGNORECASE)
_BOM = "\ufeff"
# \u0000 after an even number of backslashes (an escaped backslash is not an escape)
_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000|\x00")


def check_geodata(path: Path, fmt: str, resource: str) -> str | None:
    """InputError unless `path` holds what `fmt` (geojson or gpkg) promises; the
    CRS a GeoJSON's top-level crs member names (None: it has none)."""
    if fmt == "gpkg":
        _check_gpkg(path, resource)
    elif fmt == "geojson":
        return _check_geojson(path, resource)
    return None


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
    head, tail, maybe_crs, seen = "", "", False, 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                text = decoder.decode(chunk)
                if len(head) < 64:
                    head += text[: 64 - len(head)]
                maybe_crs = maybe_crs or _MAYBE_CRS.search(tail + text) is not None
                nul = _NUL.search(tail + text)
                if nul is not None:
                    raise InputError(
                        f"resource '{resource}': the GeoJSON file holds a NUL character "
                        f"(U+0000) near character {seen - len(tail) + nul.end()}",
                        hint="GDAL would cut the text there; remove the character")
                seen += len(text)
                tail = text[-16:]
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(
            f"resource '{resource}': the GeoJSON file is not valid UTF-8",
            hint="GeoJSON must be UTF-8 encoded (RFC 7946)",
        ) from None
    return head, maybe_crs


def _check_geojson(path: Path, resource: str) -> str | None:
    head, maybe_crs = _scan(path, resource)
    start = head.lstrip(_BOM + " \t\r\n")[:1]
    if start != "{":
        what = "the file is empty" if not start else "a GeoJSON file starts with '{'"
        raise InputError(
            f"resource '{resource}': the file is not GeoJSON ({what})",
            hint="XML formats such as GML and KML are not supported; convert to GeoJSON",
        )
    if not maybe_crs:
        return None
    top, nested = _crs_members(path, resource)
    # every member is checked for links before any name is resolved
    top_names = [_crs_name(crs, resource) for crs in top]
    nested_names = [_crs_name(crs, resource) for crs in nested]
    return _declared_crs(top_names, nested_names, path.name, resource)


class _Object(dict[str, Any]):
    """A parsed JSON object that remembers every crs member it was given (any
    letter case, each of a repeated key)."""

    crs: list[Any]


def _crs_members(path: Path, resource: str) -> tuple[list[Any], list[Any]]:
    """The crs members of the top-level object, and those below it in features
    and geometries. A feature's properties are data: a property named crs is
    an ordinary property, not a CRS member."""

    def hook(pairs: list[tuple[str, Any]]) -> _Object:
        made = _Object(pairs)
        made.crs = [value for key, value in pairs if key.lower() == "crs"]
        return made

    try:
        with open(path, encoding="utf-8-sig") as fh:
            root = json.load(fh, object_pairs_hook=hook)
    except RecursionError:
        raise InputError(f"resource '{resource}': the GeoJSON is nested too deeply") from None
    except ValueError as exc:
        raise InputError(
            f"resource '{resource}': the file is not GeoJSON (not valid JSON: "
            f"{getattr(exc, 'msg', 'parse error')})"
        ) from None
    top = list(root.crs) if isinstance(root, _Object) else []
    nested: list[Any] = []
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, _Object):
            if item is not root:
                nested.extend(item.crs)
            stack.extend(v for k, v in item.items() if k != "properties")
        elif isinstance(item, list):
            stack.extend(item)
    return top, nested


def _crs_name(crs: Any, resource: str) -> str | None:
    """The CRS a crs member names (None for null); InputError for a link or URL
    and for a member that names nothing."""
    if crs is None:
        return None
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
    return name


def shown_crs(name: str) -> str:
    """A CRS name for a message: quoted, long ones (WKT) cut short."""
    return repr(name if len(name) <= 80 else name[:77] + "...")


def same_crs(a: pyproj.CRS, b: pyproj.CRS) -> bool:
    """GeoJSON is always x = longitude (GDAL too), so axis order does not count."""
    return bool(a.equals(b, ignore_axis_order=True))


def _known_crs(name: str, file: str, resource: str) -> pyproj.CRS:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the deprecated +init= syntax warns
            return pyproj.CRS.from_user_input(name)
    except pyproj.exceptions.CRSError:
        raise InputError(
            f"resource '{resource}': {file} declares the unknown geometry crs "
            f"{shown_crs(name)}",
            hint='name the CRS by its EPSG code, e.g. "urn:ogc:def:crs:EPSG::25832", or '
            "leave out the crs member for WGS 84 longitude/latitude (RFC 7946)",
        ) from None


def _declared_crs(top: list[str | None], nested: list[str | None], file: str,
                  resource: str) -> str | None:
    """The file's CRS from its top-level members (None: WGS 84), after checking
    that every name is known and that all of them agree with it."""
    known: dict[str, pyproj.CRS] = {}
    for name in dict.fromkeys(n for n in (*top, *nested) if n is not None):
        known[name] = _known_crs(name, file, resource)
    names = [n for n in top if n is not None]
    declared = names[0] if names else None
    crs = known[declared] if declared else pyproj.CRS.from_epsg(4326)
    if any(not same_crs(known[n], crs) for n in names[1:]):
        raise InputError(f"resource '{resource}': {file} has more than one top-level crs "
                         "member, and they name different CRSs")
    for name in dict.fromkeys(n for n in nested if n is not None):
        if not same_crs(known[name], crs):
            raise InputError(
                f"resource '{resource}': {file} declares the CRS {shown_crs(name)} inside a "
                f"feature or geometry, but the file's CRS is {shown_crs(declared or 'EPSG:4326')}"
                " (GDAL reads one CRS per file and would ignore it)",
                hint="declare the CRS once, in the crs member of the top-level object",
            )
    return declared
