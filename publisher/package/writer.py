"""Write a package to a directory: `data/<name>.<ext>` plus datapackage.json.

The output is byte-for-byte deterministic, so the same package gives the same
content hash and a republication of unchanged data is recognised. Each
resource's descriptor is brought up to date: path, format, mediatype, bytes,
sha256 hash, an inline schema that matches the written columns, the
geometry spec for CSV, and for spatial data the `bbox` of what was written
([min lon, min lat, max lon, max lat] in WGS 84, rounded outwards to 7 places;
the same property a source package may declare its extent with).
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import warnings
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from publisher.errors import InputError
from publisher.package.formats import (
    EXTENSIONS,
    MEDIATYPES,
    csv_frame,
    has_lone_cr,
    neutralise_formulas,
    ordered_columns,
    write_csv_part,
    write_geojson,
    write_gpkg,
)
from publisher.package.frames import file_columns, record_frames
from publisher.package.model import GeometrySpec, Package, Resource
from publisher.package.paths import is_safe_name
from publisher.package.readers._tabular import _number_chars, _numbers
from publisher.package.staged import StagedFile

DESCRIPTOR = "datapackage.json"
# Keys the writer sets itself; the rest of a resource descriptor is kept.
_REPLACED = frozenset(
    {
        "name",
        "path",
        "format",
        "mediatype",
        "encoding",
        "bytes",
        "hash",
        "schema",
        "geometry",
        "layer",
        "dialect",
        "scheme",
        "compression",
        "innerpath",
        "data",
        "bbox",
    }
)
BBOX_PLACES = 7
WRITE_ROWS = 65_536  # records per part of a written CSV file
# writes a CSV resource's records elsewhere (publisher.passes.Passes.write_ranges); None:
# the writer writes them
WriteRanges = Callable[[Resource, list[str], Path], "WrittenCsv | None"]


def write_package(package: Package, out_dir: Path, ranges: WriteRanges | None = None
                  ) -> list[StagedFile]:
    """Write every resource and the descriptor; datapackage.json comes last. RANGES
    may write a CSV file's records elsewhere (publisher.passes.Passes.write_ranges:
    on a cluster's workers)."""
    names = [r.name for r in package.resources]
    for name in names:
        if not is_safe_name(name) or names.count(name) > 1:
            raise InputError(
                f"resource name {name!r} is unsafe or not unique", where=package.source
            )
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    files: list[StagedFile] = []
    descriptors: list[dict[str, Any]] = []
    for resource in package.resources:
        staged, descriptor = _write_resource(resource, out_dir, ranges)
        files.append(staged)
        descriptors.append(descriptor)
    package_descriptor = {**copy.deepcopy(package.descriptor), "resources": descriptors}
    text = json.dumps(package_descriptor, indent=2, ensure_ascii=False) + "\n"
    (out_dir / DESCRIPTOR).write_bytes(text.encode("utf-8"))
    files.append(_staged(out_dir, DESCRIPTOR))
    return files


def _staged(out_dir: Path, relative: str) -> StagedFile:
    path = out_dir / relative
    with open(path, "rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return StagedFile(path=relative, sha256=digest, bytes=path.stat().st_size)


def _write_resource(resource: Resource, out_dir: Path, ranges: WriteRanges | None
                    ) -> tuple[StagedFile, dict[str, Any]]:
    if resource.format not in EXTENSIONS:
        raise InputError(f"resource '{resource.name}': unsupported format {resource.format!r}")
    relative = f"data/{resource.name}.{EXTENSIONS[resource.format]}"
    path = out_dir / relative
    order = resource.field_names
    spec: GeometrySpec | None = None
    if resource.format == "csv":
        csv = _write_csv(resource, order, path, ranges)
        columns, spec, schema_frame, bounds = csv.columns, csv.spec, csv.first, csv.bounds
    else:
        frame = resource.table()
        geometry_name = getattr(frame, "active_geometry_name", None) or "geometry"
        columns = ordered_columns(frame, order, skip=(geometry_name,))
        writer = write_geojson if resource.format == "geojson" else write_gpkg
        writer(resource, frame, columns, path)
        schema_frame, bounds = frame, Bounds.of(frame)
    staged = _staged(out_dir, relative)
    descriptor = _descriptor(
        resource, staged, sync_schema(resource.schema, columns, schema_frame, spec)
    )
    if spec is not None:
        descriptor["geometry"] = _spec_dict(spec)
    if resource.format == "gpkg":
        descriptor["layer"] = resource.name
    box = bounds.box(resource.geometry.crs if resource.geometry else "EPSG:4326")
    if box is not None:
        descriptor["bbox"] = box
    return staged, descriptor


def _parts(resource: Resource, shapes: bool = True) -> Iterator[pd.DataFrame]:
    """The records WRITE_ROWS at a time: batch by batch from the file when they are
    not in memory (publisher.package.frames), else slices of the table. SHAPES false:
    the geometry's columns stay text (from a file)."""
    if file_columns(resource) is not None:
        yield from record_frames(resource, WRITE_ROWS, geometry=shapes)
        return
    frame = resource.table()
    for start in range(0, max(len(frame), 1), WRITE_ROWS):
        yield frame.iloc[start:start + WRITE_ROWS]


def _write_csv(resource: Resource, order: list[str], path: Path,
               ranges: WriteRanges | None) -> WrittenCsv:
    """Write the records as CSV text part by part (write_csv_records): by RANGES
    when they are a file and it writes them, else here. A carriage return in a
    text cell quotes every cell of the file: found in a later part, the file is
    written again so quoted."""
    if ranges is not None and file_columns(resource) is not None:
        elsewhere = ranges(resource, order, path)
        if elsewhere is not None:
            return elsewhere
    as_text = coordinates_as_written(resource)
    for quote_all in (False, True):
        with path.open("w", encoding="utf-8", newline="") as handle:
            written = write_csv_records(resource, order, _parts(resource, shapes=as_text is None),
                                        handle, as_text=as_text, quote_all=quote_all)
        if written is not None:
            return written
    raise AssertionError("unreachable: the quoted pass writes every part")


@dataclass
class WrittenCsv:
    """What writing a CSV file's records gives: the columns written, the geometry
    spec, the first part (the types of new fields come from it) and the extent."""

    columns: list[str]
    spec: GeometrySpec | None
    first: pd.DataFrame
    bounds: Bounds


def write_csv_records(resource: Resource, order: list[str], parts: Iterable[pd.DataFrame],
                      handle: TextIO, *, as_text: GeometrySpec | None, quote_all: bool,
                      header: bool = True) -> WrittenCsv | None:
    """The parts of the records (their text columns and derived coordinates made per
    part, never for the whole table at once) written to HANDLE as CSV text, the
    header row first if HEADER. AS_TEXT: the lat/lon spec whose columns are written
    as they are (coordinates_as_written; the parts then hold them as text). None
    when a text cell holds a carriage return and not QUOTE_ALL: the file is then to
    be written again, every cell quoted."""
    columns: list[str] = []
    spec: GeometrySpec | None = None
    first: pd.DataFrame | None = None
    bounds = Bounds()
    for number, part in enumerate(parts):
        if as_text is not None and not isinstance(part, gpd.GeoDataFrame):
            plain, spec = _with_coordinates_last(part, as_text), as_text
            bounds.add_points(resource, as_text, part)
        else:  # (a file that did not stream goes on from the whole table)
            plain, spec = csv_frame(resource, part)
            bounds.add(part)
        plain, _ = neutralise_formulas(plain, resource)
        if first is None:
            columns, first = ordered_columns(plain, order), pd.DataFrame(part)
        if not quote_all and has_lone_cr(plain, columns):
            return None
        write_csv_part(plain, columns, handle, header=header and number == 0,
                       quote_all=quote_all)
    assert first is not None, "the parts hold at least one (empty) frame"
    return WrittenCsv(columns, spec, first, bounds)


def coordinates_as_written(resource: Resource) -> GeometrySpec | None:
    """The lat/lon spec of a resource whose records come from a file whose coordinate
    columns hold what csv_frame would write (model.Projection.as_written): they are
    written as they are, no point is built; None otherwise."""
    spec = resource.geometry
    projection = resource.projection
    if spec is None or spec.kind != "latlon" or projection is None or \
            not projection.as_written or file_columns(resource) is None:
        return None
    return spec if all(c in projection.columns for c in spec.columns) else None


def _with_coordinates_last(part: pd.DataFrame, spec: GeometrySpec) -> pd.DataFrame:
    """The columns in the order csv_frame gives them: the coordinates last."""
    others = [c for c in part.columns if c not in spec.columns]
    return part[[*others, *spec.columns]]


@dataclass
class Bounds:
    """The extent of the geometry of the parts written, and its CRS."""

    west: float = math.inf
    south: float = math.inf
    east: float = -math.inf
    north: float = -math.inf
    crs: pyproj.CRS | None = None
    spatial: bool = False

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Bounds:
        bounds = cls()
        bounds.add(frame)
        return bounds

    def add(self, frame: pd.DataFrame) -> None:
        if not isinstance(frame, gpd.GeoDataFrame) or frame.active_geometry_name is None:
            return
        self.spatial, self.crs = True, frame.crs
        if not len(frame):
            return
        with warnings.catch_warnings():  # all-missing parts have no bounds (NaN)
            warnings.simplefilter("ignore", RuntimeWarning)
            west, south, east, north = (float(v) for v in frame.geometry.total_bounds)
        if np.isfinite([west, south, east, north]).all():
            self.west, self.south = min(self.west, west), min(self.south, south)
            self.east, self.north = max(self.east, east), max(self.north, north)

    def add_points(self, resource: Resource, spec: GeometrySpec, part: pd.DataFrame) -> None:
        """add() for points given as lat/lon text (the reader's numbers; no point where
        either is missing or not a number)."""
        assert spec.lat is not None and spec.lon is not None
        self.spatial = True
        self.crs = self.crs or pyproj.CRS.from_user_input(spec.crs)
        chars = _number_chars(resource)
        lat = _numbers(part[spec.lat], chars.get(spec.lat, (".", "")))
        lon = _numbers(part[spec.lon], chars.get(spec.lon, (".", "")))
        located = np.isfinite(lat) & np.isfinite(lon)
        if located.any():
            lon, lat = lon[located], lat[located]
            self.west, self.south = min(self.west, float(lon.min())), \
                min(self.south, float(lat.min()))
            self.east, self.north = max(self.east, float(lon.max())), \
                max(self.north, float(lat.max()))

    def merge(self, other: Bounds) -> None:
        """add() for the extent of parts written elsewhere (a cluster's ranges)."""
        self.spatial = self.spatial or other.spatial
        self.crs = self.crs or other.crs
        self.west, self.south = min(self.west, other.west), min(self.south, other.south)
        self.east, self.north = max(self.east, other.east), max(self.north, other.north)

    def box(self, fallback_crs: str) -> list[float] | None:
        if not self.spatial:
            return None
        return _box(self.west, self.south, self.east, self.north,
                    self.crs or pyproj.CRS.from_user_input(fallback_crs))


def bbox(frame: pd.DataFrame, fallback_crs: str = "EPSG:4326") -> list[float] | None:
    """The extent of a frame's geometry in WGS 84, rounded outwards; None without
    geometry (or without a shape in it)."""
    return Bounds.of(frame).box(fallback_crs)


def _box(west: float, south: float, east: float, north: float,
         crs: pyproj.CRS) -> list[float] | None:
    if not np.isfinite([west, south, east, north]).all():
        return None
    if not crs.equals(pyproj.CRS.from_epsg(4326)):
        transformer = pyproj.Transformer.from_crs(crs, 4326, always_xy=True)
        west, south, east, north = transformer.transform_bounds(west, south, east, north,
                                                                densify_pts=21)
    scale = 10 ** BBOX_PLACES
    return [math.floor(west * scale) / scale, math.floor(south * scale) / scale,
            math.ceil(east * scale) / scale, math.ceil(north * scale) / scale]


def _descriptor(resource: Resource, staged: StagedFile, schema: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": resource.name,
        "path": staged.path,
        "format": resource.format,
        "mediatype": MEDIATYPES[resource.format],
    }
    if resource.format != "gpkg":
        out["encoding"] = "utf-8"
    out["bytes"] = staged.bytes
    out["hash"] = f"sha256:{staged.sha256}"
    for key, value in resource.descriptor.items():
        if key not in _REPLACED:
            out[key] = copy.deepcopy(value)
    out["schema"] = schema
    return out


def _spec_dict(spec: GeometrySpec) -> dict[str, Any]:
    if spec.kind == "latlon":
        return {"kind": "latlon", "lat": spec.lat, "lon": spec.lon, "crs": spec.crs}
    return {"kind": spec.kind, "column": spec.column, "crs": spec.crs}


def _field_type(column: pd.Series) -> str:
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "integer"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "string"


def sync_schema(
    schema: dict[str, Any], columns: list[str], frame: pd.DataFrame, spec: GeometrySpec | None
) -> dict[str, Any]:
    """The schema for the written columns: their fields in that order, new
    fields typed from the data, keys that name dropped fields removed."""
    fields = [f for f in schema.get("fields", []) if isinstance(f, dict)]
    by_name = {f.get("name"): f for f in fields}
    coordinate_type = "number" if spec is not None and spec.kind == "latlon" else "string"
    new_fields = []
    for name in columns:
        if name in by_name:
            new_fields.append(copy.deepcopy(by_name[name]))
        elif spec is not None and name in spec.columns:
            new_fields.append({"name": name, "type": coordinate_type})
        else:
            new_fields.append({"name": name, "type": _field_type(frame[name])})
    out = {**copy.deepcopy(schema), "fields": new_fields}
    kept = set(columns)
    primary = out.get("primaryKey")
    if primary is not None:
        keys = [primary] if isinstance(primary, str) else list(primary)
        if not set(keys) <= kept:
            del out["primaryKey"]
    if isinstance(out.get("foreignKeys"), list):
        out["foreignKeys"] = [fk for fk in out["foreignKeys"] if _fk_kept(fk, kept)]
        if not out["foreignKeys"]:
            del out["foreignKeys"]
    return out


def _fk_kept(fk: object, kept: set[str]) -> bool:
    if not isinstance(fk, dict):
        return False
    names = fk.get("fields")
    names = [names] if isinstance(names, str) else names
    return isinstance(names, list) and set(names) <= kept
