"""What a GeoPackage layer holds, checked with SQLite before GDAL reads it.

A layer that is an SQL view is refused: a view computes its rows when read, so
a recursive one never ends, and one of `zeroblob()` columns makes gigabytes
out of a file of kilobytes. A table is read by one linear SQL pass over its
attributes (the file is opened read-only and immutable, so no trigger can
run): more columns than the limit, a value over the cell limit (text or
binary), a feature whose attributes together are over the row limit, a
geometry too large for the vertex limit, and a NUL character in a text
(GDAL would cut the text there, and publish it cut, without a word) are
refused, naming the feature and field.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from publisher import limits
from publisher.errors import InputError

# A geometry blob: a header of at most 40 bytes (envelope included), then WKB,
# at least 16 bytes for each vertex.
_VERTEX_BYTES = 16
_HEADER_BYTES = 1024


def _connect(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True)


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def check_gpkg_layer(path: Path, layer: str, resource: str) -> None:
    """InputError (LimitError past a limit) unless the layer is a table whose
    values are within the limits and hold no NUL."""
    try:
        with closing(_connect(path)) as db:
            _check(db, path.name, layer, resource)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"resource '{resource}': the GeoPackage cannot be read as SQLite "
                         f"({str(exc)[:120]})") from None


def _check(db: sqlite3.Connection, file: str, layer: str, resource: str) -> None:
    kind = db.execute("SELECT type FROM sqlite_master WHERE name = ? COLLATE NOCASE",
                      (layer,)).fetchone()
    if kind is not None and kind[0] == "view":
        raise InputError(
            f"resource '{resource}': layer {layer!r} of {file} is an SQL view, not a table; "
            "views are not read (a view computes its rows when read: it may never end, or "
            "make values far larger than the file)",
            hint="export the layer as a table (e.g. with ogr2ogr or QGIS 'Save Features As')")
    if kind is None:
        return  # GDAL says what it makes of the name
    geometry = _geometry_column(db, layer)
    # the attributes: neither the geometry nor the feature id (the integer key)
    attributes = [str(row[1]) for row in db.execute(f"PRAGMA table_info({_identifier(layer)})")
                  if str(row[1]) != geometry and not (row[5] and "INT" in str(row[2]).upper())]
    found = limits.current()
    if len(attributes) > found.max_columns:
        raise limits.exceeded("max_columns", f"resource '{resource}': layer {layer!r} of "
                                             f"{file} has {len(attributes):,} columns")
    sizes = [f"CASE typeof({_identifier(c)}) WHEN 'blob' THEN length({_identifier(c)}) "
             f"WHEN 'text' THEN length(CAST({_identifier(c)} AS BLOB)) ELSE 8 END"
             for c in attributes]
    nuls = [f"(typeof({_identifier(c)}) = 'text' AND "
            f"instr(CAST({_identifier(c)} AS BLOB), x'00') > 0)" for c in attributes]
    geometry_size = (f"coalesce(length({_identifier(geometry)}), 0)" if geometry else "0")
    row_size = " + ".join(sizes) or "0"
    checks: dict[tuple[str, str | None], str] = {
        **{("cell", c): f"{s} > {found.max_cell_bytes}" for c, s in zip(attributes, sizes,
                                                                          strict=True)},
        ("row", None): f"{row_size} > {found.max_row_bytes}",
        ("geometry", geometry): f"{geometry_size} > "
                                f"{_VERTEX_BYTES * found.max_geometry_vertices + _HEADER_BYTES}",
        **{("nul", c): n for c, n in zip(attributes, nuls, strict=True)},
    }
    table = _identifier(layer)
    flags = db.execute("SELECT " + ", ".join(f"max({c})" for c in checks.values())
                       + f" FROM {table}").fetchone()
    for (what, column), condition, flag in zip(checks, checks.values(), flags, strict=True):
        if flag:
            feature = _feature(db, table, condition)
            raise _refusal(what, column, feature, file, resource)


def _geometry_column(db: sqlite3.Connection, layer: str) -> str | None:
    try:
        row = db.execute("SELECT column_name FROM gpkg_geometry_columns "
                         "WHERE table_name = ? COLLATE NOCASE", (layer,)).fetchone()
    except sqlite3.DatabaseError:
        return None
    return str(row[0]) if row else None


def _feature(db: sqlite3.Connection, table: str, condition: str) -> int:
    """The 1-based number of the first feature meeting `condition`, in the
    order GDAL reads them (rowid)."""
    first = db.execute(f"SELECT rowid FROM {table} WHERE {condition} ORDER BY rowid LIMIT 1"
                       ).fetchone()
    if first is None:
        return 0
    counted = db.execute(f"SELECT count(*) FROM {table} WHERE rowid <= ?", (first[0],)).fetchone()
    return int(counted[0])


def _refusal(what: str, column: str | None, feature: int, file: str,
             resource: str) -> InputError:
    at = f"resource '{resource}': feature {feature} of {file}"
    field = f", field {column[:80]!r}," if column else ","
    if what == "nul":
        return InputError(f"{at}{field} holds a NUL character (U+0000) in a text",
                          hint="GDAL would cut the text there; remove the character")
    if what == "cell":
        return limits.exceeded("max_cell_bytes", f"{at}{field} holds a value over the limit",
                               unit=" bytes")
    if what == "row":
        return limits.exceeded("max_row_bytes", f"{at} has attributes over the limit "
                                                "together", unit=" bytes")
    return limits.exceeded("max_geometry_vertices",
                           f"{at} has a geometry too large for the vertex limit")
