"""One copied source file described as Frictionless resources (one per sheet or layer).

Each resource is read through its input format (publisher.package.readers),
as validate, check and run read it: CSV after its encoding and dialect are
found, sheets below their header row, vector layers with their CRS. Its
Table Schema is inferred (publisher.init.infer); a table's latitude and
longitude columns become its geometry (publisher.init.coordinates).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from publisher.init.coordinates import latlon_pair, wkt_column
from publisher.init.csvsniff import sniff_dialect, sniff_encoding
from publisher.init.infer import infer_schema
from publisher.init.sources import Source, cpg_encoding, slug
from publisher.package.geometry import detect_csv_geometry
from publisher.package.model import Resource
from publisher.package.readers import InputFormat


@dataclass
class Described:
    descriptor: dict[str, Any]
    rows: int
    geometry: str  # for the summary: "latlon (breite, laenge), EPSG:4326", "EPSG:25832", ""
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.descriptor["name"])

    def to_dict(self) -> dict[str, Any]:
        schema = self.descriptor.get("schema", {})
        return {"name": self.name, "format": self.descriptor["format"],
                "path": self.descriptor["path"], "rows": self.rows,
                "fields": len(schema.get("fields", [])), "geometry": self.geometry,
                "primary_key": (schema.get("primaryKey") or [None])[0],
                "encoding": self.descriptor.get("encoding"),
                "dialect": self.descriptor.get("dialect"), "notes": self.notes}


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _zip_member(main: Path, part: str) -> str | None:
    with zipfile.ZipFile(main) as zf:
        return next((n for n in zf.namelist()
                     if n.lower().endswith(".shp") and PurePosixPath(n).stem == part), None)


def describe_source(source: Source, main: Path, root: Path, names: set[str]) -> list[Described]:
    """The resources of one copied source file."""
    fmt = source.fmt
    parts: list[str | None] = list(fmt.parts(main)) or [None]
    out = []
    for part in parts:
        base = slug(main.stem if len(parts) == 1 else f"{main.stem}-{part}")
        item: dict[str, Any] = {"name": _unique(base, names),
                                "path": main.relative_to(root).as_posix(), "format": fmt.type}
        if part is not None:
            item["title"] = part
            item.update(fmt.part_descriptor(main, part))
        out.append(_describe(item, fmt, main, part))
    return out


def _describe(item: dict[str, Any], fmt: InputFormat, main: Path,
              part: str | None) -> Described:
    kind = fmt.type
    delimiter = None
    if kind == "csv":
        item["encoding"] = sniff_encoding(main)
        dialect = sniff_dialect(main, item["encoding"])
        if dialect:
            item["dialect"] = dialect
        delimiter = str(dialect.get("delimiter", ","))
    if kind == "shp":
        member = _zip_member(main, part) if part is not None and main.suffix.lower() == ".zip" \
            else None
        encoding = cpg_encoding(main, member)
        if encoding:
            item["encoding"] = encoding
    if not fmt.native_geometry:
        item["geometry"] = False  # read the plain table first; the columns decide below
    resource = Resource(name=item["name"], format=fmt.type, descriptor=item, path=main)
    spec = fmt.settle(resource)
    resource.geometry = spec
    table = fmt.read(resource)
    inferred = infer_schema(table, delimiter=delimiter,
                            skip=("geometry",) if fmt.native_geometry else ())
    geometry = ""
    notes: list[str] = []
    if fmt.native_geometry:
        assert spec is not None
        item["geometry"] = {"crs": spec.crs}
        geometry = spec.crs
    else:
        latlon = latlon_pair(table, inferred)
        wkt, note = wkt_column(table, inferred) if latlon is None else (None, None)
        if latlon is not None:
            item["geometry"] = {"kind": "latlon", "lat": latlon.lat, "lon": latlon.lon,
                                "crs": latlon.crs}
            geometry = f"latlon ({latlon.lat}, {latlon.lon}), {latlon.crs}"
        elif wkt is not None:
            item["geometry"] = {"kind": "wkt", "column": wkt.column, "crs": wkt.crs}
            geometry = f"wkt ({wkt.column}), {wkt.crs}"
        elif detect_csv_geometry([f["name"] for f in inferred.fields]) is None:
            del item["geometry"]  # nothing the loader would take for geometry either
        if note:
            notes.append(f"{item['name']}: {note}")
    item["schema"] = inferred.schema()
    return Described(descriptor=item, rows=len(table), geometry=geometry, notes=notes)
