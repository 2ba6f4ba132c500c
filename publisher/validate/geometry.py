"""Vectorised geometry checks on a spatial resource's GeoDataFrame.

Checks: missing or empty geometry, invalid geometry (GEOS reason without its
coordinates), unknown or missing CRS, NaN/infinite coordinates, and records
outside a plausible extent in lon/lat (with a hint when swapping x and y would
put them inside, the classic lat/lon mix-up). Messages never carry coordinates.

A CSV file's lat/lon or WKT columns are checked on their text where it is
plain (a number of at most 15 digits; `POINT (x y)` of two such): Arrow reads
those cells to the floats pandas and GEOS read (each is correctly rounded),
and such a point is present, finite and valid, so only its extent is left
to check. Every other cell becomes a shape as the readers make it
(publisher.package.readers._tabular) and is checked as a shape. Where the
validation engine reads the file anyway, it runs these checks on its own
blocks (GeometryTap), and the file is not read a second time.
"""

from __future__ import annotations

import codecs
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from publisher.errors import PublisherError
from publisher.package import batches
from publisher.package.csvio import csv_options, read_header
from publisher.package.geobatches import (
    _streamable,
    geometry_batches,
    has_geometry,
    stream_geometry,
)
from publisher.package.model import Resource
from publisher.package.readers._tabular import _number_chars, latlon_geometry, wkt_geometry
from publisher.report import Finding, Severity
from publisher.validate.result import CheckResult, record_label

MAX_FINDINGS = 1000  # per check and resource; stats count them all

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

BATCH_ROWS: int | None = None  # None: publisher.package.batches.BATCH_ROWS
# At most 15 significant digits: any correctly rounding reader gives the same float.
_NUMBER = r"-?(?:[0-9]{1,3}\.[0-9]{1,12}|[0-9]{1,7}(?:\.[0-9]{1,8})?)"
_PLAIN_NUMBER = f"^{_NUMBER}$"
_POINT_START = "POINT ("
_PLAIN_POINT = f"^POINT \\({_NUMBER} {_NUMBER}\\)$"


@dataclass(frozen=True)
class Extent:
    """A lon/lat box (EPSG:4326) that the data should lie in."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def __str__(self) -> str:
        return f"lon {self.min_lon}..{self.max_lon}, lat {self.min_lat}..{self.max_lat}"

    def contains(self, lon_min: FloatArray, lat_min: FloatArray, lon_max: FloatArray,
                 lat_max: FloatArray) -> BoolArray:
        with np.errstate(invalid="ignore"):
            inside = ((lon_min >= self.min_lon) & (lon_max <= self.max_lon)
                      & (lat_min >= self.min_lat) & (lat_max <= self.max_lat))
        return np.asarray(inside, dtype=bool)


# Germany and Austria (RULES.md section 2).
GERMANY_AUSTRIA = Extent(min_lon=5.8, min_lat=46.3, max_lon=17.2, max_lat=55.1)

_MISSING_WHY = {"latlon": " (latitude or longitude empty or not a finite number)",
                "wkt": " (WKT empty or not readable)"}
_COORDINATES = re.compile(r"\s*\[[^\]]*\]")


def clean_reason(reason: str) -> str:
    """GEOS reasons end in the offending coordinates: 'Self-intersection[3 4]'."""
    return _COORDINATES.sub("", reason).strip() or "invalid geometry"


class _Collector:
    """Findings over the batches of one resource: every flagged record counted,
    the first MAX_FINDINGS of each kind (check and message) listed, in the order
    a whole-table pass lists them (kind by kind, each in record order)."""

    def __init__(self, resource: Resource):
        self.resource = resource
        self.rows: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)  # the current batch's
        self.result = CheckResult()
        self.counts: dict[str, int] = {}  # by check
        self.kinds: dict[tuple[str, str], list[Finding]] = {}
        self.flagged: dict[tuple[str, str], int] = {}
        column = resource.geometry.column if resource.geometry else None
        self.field = column if resource.geometry and resource.geometry.kind == "wkt" else None

    def room(self, code: str, message: str) -> int:
        """How many more findings of a kind may be listed."""
        return MAX_FINDINGS - len(self.kinds.get((code, message), ()))

    def add(self, code: str, mask: BoolArray, message: str,
            details: list[str] | None = None, hints: list[str | None] | None = None) -> None:
        """One finding per flagged record of the batch, while its kind has room;
        details and hints, when given, belong to the first ones that fit."""
        positions = np.flatnonzero(mask)
        self.counts[code] = self.counts.get(code, 0) + len(positions)
        key = (code, message)
        self.flagged[key] = self.flagged.get(key, 0) + len(positions)
        listed = self.kinds.setdefault(key, [])
        for i, position in enumerate(positions[:self.room(code, message)]):
            row = int(self.rows[position])
            what = record_label(self.resource.format, row)
            detail = f": {details[i]}" if details else ""
            hint = hints[i] if hints else None
            listed.append(Finding(
                type=code, severity=Severity.ERROR, resource=self.resource.name, row=row,
                field=self.field, hint=hint,
                message=f"resource '{self.resource.name}', {what}: {message}{detail}"))

    def finish(self) -> None:
        crs = self.result.findings  # _resolve_crs's, after the others as in one pass
        self.result.findings = [f for listed in self.kinds.values() for f in listed] + crs
        for (code, _), count in self.flagged.items():
            if count > MAX_FINDINGS:
                self.result.notes.append(
                    f"resource '{self.resource.name}': {count} {code} findings, "
                    f"only the first {MAX_FINDINGS} are listed")


def _resolve_crs(resource: Resource, crs: CRS | None, out: _Collector) -> CRS | None:
    """The data's CRS, else the declared one; a finding when neither is usable."""
    declared = resource.geometry.crs if resource.geometry else None
    problem = "the geometry has no CRS"
    if declared:
        try:
            crs = crs or CRS.from_user_input(declared)
        except CRSError:
            crs, problem = None, f"the declared CRS '{declared[:80]}' is not known to pyproj"
        else:
            return crs
    if crs is None:
        out.counts["unknown-crs"] = 1
        out.result.findings.append(Finding(
            type="unknown-crs", severity=Severity.ERROR, resource=resource.name,
            message=f"resource '{resource.name}': {problem}",
            hint="declare the CRS as an EPSG code, e.g. EPSG:4326 or EPSG:25832"))
    return crs


def _non_finite(geoms: npt.NDArray[Any]) -> BoolArray:
    coords, index = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    has_z = shapely.has_z(geoms)
    bad = ~np.isfinite(coords[:, 0]) | ~np.isfinite(coords[:, 1])
    bad |= has_z[index] & ~np.isfinite(coords[:, 2])
    flagged = np.zeros(len(geoms), dtype=bool)
    flagged[index[bad]] = True
    return flagged


@dataclass
class _Flags:
    """What the checks found of one batch's records; `bounds` (x/y min, x/y
    max) are those of the present ones, NaN elsewhere; `geoms` holds the
    shapes made (None elsewhere), which name the reason of an invalid one."""

    rows: IntArray
    geoms: npt.NDArray[Any]
    missing: BoolArray
    empty: BoolArray
    non_finite: BoolArray
    invalid: BoolArray
    bounds: FloatArray

    @property
    def present(self) -> BoolArray:
        return ~self.missing & ~self.empty & ~self.non_finite

    @classmethod
    def of(cls, rows: IntArray, geoms: npt.NDArray[Any]) -> _Flags:
        missing = np.asarray(shapely.is_missing(geoms), dtype=bool)
        empty = np.asarray(shapely.is_empty(geoms), dtype=bool) & ~missing
        non_finite = _non_finite(geoms) & ~missing & ~empty
        present = ~missing & ~empty & ~non_finite
        invalid = present & ~np.asarray(shapely.is_valid(geoms), dtype=bool)
        bounds = np.full((len(geoms), 4), np.nan)
        if present.any():
            bounds[present] = np.asarray(shapely.bounds(geoms[present]), dtype=float)
        return cls(rows, geoms, missing, empty, non_finite, invalid, bounds)

    @classmethod
    def points(cls, rows: IntArray, x: FloatArray, y: FloatArray) -> _Flags:
        """Present, finite and valid points."""
        size = len(rows)

        def no() -> BoolArray:
            return np.zeros(size, dtype=bool)

        return cls(rows, np.full(size, None, dtype=object), no(), no(), no(), no(),
                   np.column_stack([x, y, x, y]))

    def put(self, at: IntArray, other: _Flags) -> None:
        """`other`'s records in place of those at `at`."""
        for name in ("geoms", "missing", "empty", "non_finite", "invalid", "bounds"):
            getattr(self, name)[at] = getattr(other, name)


def _lonlat_bounds(bounds: FloatArray, transformer: Transformer,
                   swap: bool) -> tuple[FloatArray, ...]:
    """Bounding boxes in lon/lat, from their four corners (x and y exchanged if swap).
    Boxes that are all points have one corner each, transformed once."""
    if len(bounds) and ((bounds[:, 0] == bounds[:, 2]) & (bounds[:, 1] == bounds[:, 3])).all():
        xs, ys = bounds[:, [0]], bounds[:, [1]]
    else:
        xs, ys = bounds[:, [0, 0, 2, 2]], bounds[:, [1, 3, 1, 3]]
    if swap:
        xs, ys = ys, xs
    with np.errstate(invalid="ignore"):
        lon, lat = transformer.transform(xs, ys, errcheck=False)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    bad = ~np.isfinite(lon).all(axis=1) | ~np.isfinite(lat).all(axis=1)
    lon_min, lon_max = lon.min(axis=1), lon.max(axis=1)
    lon_min[bad] = np.nan
    return lon_min, lat.min(axis=1), lon_max, lat.max(axis=1)


_SWAPPED = ("latitude and longitude look swapped: with x and y exchanged it lies inside",
            "it stays outside with x and y exchanged")


@dataclass
class Summary:
    """What one batch holds for the findings: the positions of its records of
    each kind, and the reasons (invalid) and swaps (outside) of the first
    MAX_FINDINGS of them, as many as any batch may list."""

    size: int
    missing: IntArray
    empty: IntArray
    non_finite: IntArray
    invalid: IntArray
    reasons: list[str]
    outside: IntArray | None = None  # None: no extent check (the CRS is unknown)
    swapped: list[bool] | None = None


def _outside(flags: _Flags, transformer: Transformer,
             extent: Extent) -> tuple[IntArray, list[bool]]:
    positions = np.flatnonzero(flags.present)
    if not len(positions):
        return positions, []
    bounds = flags.bounds[positions]
    outside_sub = ~extent.contains(*_lonlat_bounds(bounds, transformer, swap=False))
    if not outside_sub.any():
        return positions[outside_sub], []
    listed = bounds[outside_sub][:MAX_FINDINGS]
    swapped = extent.contains(*_lonlat_bounds(listed, transformer, swap=True)).tolist()
    return positions[outside_sub], swapped


def summarise(flags: _Flags, transformer: Transformer | None, extent: Extent) -> Summary:
    invalid = np.flatnonzero(flags.invalid)
    listed = invalid[:MAX_FINDINGS]
    reasons = [clean_reason(str(r)) for r in shapely.is_valid_reason(flags.geoms[listed])] \
        if len(listed) else []
    summary = Summary(len(flags.rows), np.flatnonzero(flags.missing),
                      np.flatnonzero(flags.empty), np.flatnonzero(flags.non_finite),
                      invalid, reasons)
    if transformer is not None:
        summary.outside, summary.swapped = _outside(flags, transformer, extent)
    return summary


def _add(out: _Collector, summary: Summary, rows: IntArray, why: str, extent: Extent) -> None:
    """A batch's findings, kind by kind as one pass over its records lists them."""
    out.rows = rows

    def mask(positions: IntArray) -> BoolArray:
        flagged = np.zeros(summary.size, dtype=bool)
        flagged[positions] = True
        return flagged

    out.add("empty-geometry", mask(summary.missing), "has no geometry" + why)
    out.add("empty-geometry", mask(summary.empty), "has an empty geometry")
    out.add("non-finite-coordinate", mask(summary.non_finite),
            "has a NaN or infinite coordinate")
    out.add("invalid-geometry", mask(summary.invalid), "is not a valid geometry",
            summary.reasons)
    if summary.outside is not None and len(summary.outside):
        assert summary.swapped is not None
        hints: list[str | None] = ["exchange latitude and longitude" if s else None
                                   for s in summary.swapped]
        out.add("out-of-extent", mask(summary.outside),
                f"lies outside the plausible extent ({extent})",
                [_SWAPPED[0] if s else _SWAPPED[1] for s in summary.swapped], hints)


def _plain_numbers(text: pa.Array) -> tuple[BoolArray, FloatArray]:
    """Cells that are plain numbers, and their values (NaN elsewhere)."""
    plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN_NUMBER), False)
    values = pc.cast(pc.if_else(plain, text, pa.scalar(None, text.type)), pa.float64())
    return (np.asarray(plain.to_numpy(zero_copy_only=False), dtype=bool),
            np.asarray(values.to_numpy(zero_copy_only=False), dtype=float))


def _latlon_flags(resource: Resource, batch: batches.Batch,
                  chars: dict[str, tuple[str, str]]) -> _Flags:
    spec = resource.geometry
    assert spec is not None and spec.lat is not None and spec.lon is not None
    size = len(batch)
    plain, xy = np.ones(size, dtype=bool), []
    for column in (spec.lon, spec.lat):
        if chars.get(column, (".", "")) != (".", ""):
            plain[:] = False  # its own decimal or group character: the reader's way
            break
        ok, values = _plain_numbers(batch.columns[column])
        plain &= ok
        xy.append(values)
    return _with_rest(batch, plain, xy if plain.any() else None, lambda text: latlon_geometry(
        text, spec, chars))


def _wkt_flags(resource: Resource, batch: batches.Batch) -> _Flags:
    spec = resource.geometry
    assert spec is not None and spec.column is not None
    text = batch.columns[spec.column]
    matched = pc.fill_null(pc.match_substring_regex(text, _PLAIN_POINT), False)
    plain = np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool)
    xy = None
    if plain.any():  # "POINT (x y)": x and y are the two words between the parentheses
        inner = pc.utf8_slice_codeunits(pc.if_else(matched, text, pa.scalar(None, text.type)),
                                        len(_POINT_START), -1)
        words = pc.split_pattern(inner, " ", max_splits=1)
        xy = [np.asarray(pc.cast(pc.list_element(words, i), pa.float64())
                         .to_numpy(zero_copy_only=False), dtype=float) for i in (0, 1)]
    return _with_rest(batch, plain, xy, lambda cells: wkt_geometry(cells, spec, resource.name))


def _with_rest(batch: batches.Batch, plain: BoolArray, xy: list[FloatArray] | None,
               shapes: Any) -> _Flags:
    """Plain records as points at `xy`; the others as `shapes` makes them from
    their text (a frame indexed by row number, as geobatches hands it over)."""
    rest = np.flatnonzero(~plain)
    flags = _Flags.points(batch.rows, *xy) if xy is not None else None
    if not len(rest):
        assert flags is not None
        return flags
    taken = pa.array(rest)
    cells = pd.DataFrame({name: column.take(taken).to_pandas()
                          for name, column in batch.columns.items()})
    cells.index = pd.Index(batch.rows[rest])
    other = _Flags.of(batch.rows[rest], shapes(cells))
    if flags is None:
        return other
    flags.put(rest, other)
    return flags


def _batches(resource: Resource) -> Iterator[tuple[_Flags, CRS | None]]:
    """Each batch's flags and the data's CRS: a CSV file's geometry columns
    read as text (as publisher.package.geobatches streams them), anything
    else as the shapes geobatches makes."""
    batch_rows = BATCH_ROWS or batches.BATCH_ROWS
    if not _streamable(resource):
        for shaped in geometry_batches(resource, batch_rows=batch_rows):
            yield _Flags.of(shaped.rows, shaped.geoms), shaped.crs
        return
    spec = resource.geometry
    assert spec is not None
    chars = _number_chars(resource)
    yield from stream_geometry(
        resource, spec.columns, batch_rows,
        lambda batch, crs: (_latlon_flags(resource, batch, chars) if spec.kind == "latlon"
                            else _wkt_flags(resource, batch), crs),
        lambda shaped: (_Flags.of(shaped.rows, shaped.geoms), shaped.crs))


def _transformer(crs: CRS | None) -> Transformer | None:
    return None if crs is None else Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


def check_geometry(resource: Resource, extent: Extent = GERMANY_AUSTRIA,
                   tapped: Tapped | None = None) -> CheckResult:
    """Geometry checks of one spatial resource, batch by batch (a CSV file's geometry
    columns are streamed: publisher.package.geobatches); findings are capped, stats
    are not. `tapped`: the batches summarised on the validation engine's pass
    over the file (GeometryTap), which is then not read again."""
    checks = ["empty-geometry", "non-finite-coordinate", "invalid-geometry", "unknown-crs"]
    if not has_geometry(resource):
        return CheckResult(notes=[f"resource '{resource.name}' has no geometry column; "
                                  "geometry checks skipped"])
    out = _Collector(resource)
    features = 0
    resolved = False
    transformer: Transformer | None = None
    why = _MISSING_WHY.get(resource.geometry.kind if resource.geometry else "native", "")
    if tapped is not None:
        transformer = _transformer(_resolve_crs(resource, tapped.crs, out))
        resolved = True
        for first, summary in tapped.summaries:
            _add(out, summary, np.arange(first, first + summary.size, dtype=np.int64), why,
                 extent)
            features += summary.size
    for flags, data_crs in (() if tapped is not None else _batches(resource)):
        if not resolved:
            transformer = _transformer(_resolve_crs(resource, data_crs, out))
            resolved = True
        features += len(flags.rows)
        _add(out, summarise(flags, transformer, extent), flags.rows, why, extent)
    if not resolved:  # no records: the CRS is still checked
        transformer = _transformer(_resolve_crs(resource, None, out))
    out.finish()
    if transformer is not None:
        checks.append("out-of-extent")
    else:
        out.result.notes.append(f"resource '{resource.name}': CRS unknown, "
                                "extent check skipped")
    out.result.stats = {"checks": checks, "features": features,
                        "geometry": {c: out.counts.get(c, 0) for c in
                                     [*checks, "out-of-extent"]}}
    return out.result


@dataclass
class Tapped:
    """The summaries of a whole file's batches (first row number, summary), in
    file order, and the data's CRS."""

    crs: CRS | None
    summaries: list[tuple[int, Summary]]


class GeometryTap:
    """The geometry checks of a CSV file's lat/lon or WKT columns, run on the
    text columns of the validation engine's blocks (publisher.validate.engine)
    so that the file is read once. `block` runs in the engine's worker threads
    (each with its own transformer); the engine hands the summaries back only
    where its blocks are the file's records in order, row k + 2 at position k
    (no ragged or blank rows), as a stream of the geometry columns numbers them."""

    def __init__(self, resource: Resource, extent: Extent, labels: list[str]):
        spec = resource.geometry
        assert spec is not None
        self.resource, self.extent = resource, extent
        self.index = {name: labels.index(name) for name in spec.columns}
        try:
            self.crs: CRS | None = CRS.from_user_input(spec.crs)
        except CRSError:
            self.crs = None
        self.chars = _number_chars(resource)
        self._local = threading.local()

    def __getstate__(self) -> dict[str, Any]:
        """Sent to a cluster's workers (publisher.cluster.validate) without this
        process's transformers: each worker thread makes its own."""
        return {k: v for k, v in self.__dict__.items() if k != "_local"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._local = threading.local()

    @classmethod
    def of(cls, resource: Resource, extent: Extent, labels: list[str], delimiter: str,
           quote_char: str, double_quote: bool, encoding: str) -> GeometryTap | None:
        """A tap where the engine reads the file as the geometry stream would:
        the same dialect and header, each geometry column once; else None."""
        spec = resource.geometry
        if not _streamable(resource) or resource.projection is not None or spec is None:
            return None
        assert resource.path is not None
        try:
            opts = csv_options(resource.descriptor, resource.name)
            header = read_header(resource.path, opts, resource.name)
        except PublisherError:  # the checks' own pass says so, as before
            return None
        if (opts.delimiter, opts.quotechar, opts.doublequote) != (
                delimiter, quote_char, double_quote) or opts.escapechar \
                or opts.skipinitialspace or _codec(opts.encoding) != _codec(encoding):
            return None
        if header != labels or any(labels.count(c) != 1 for c in spec.columns):
            return None
        return cls(resource, extent, labels)

    def block(self, columns: list[pa.Array]) -> Summary | None:
        """One block of text columns (by header position), rows from 0; None
        where they are not text as the stream reads it."""
        spec = self.resource.geometry
        assert spec is not None
        size = len(columns[0]) if columns else 0
        null = pa.nulls(size, pa.string())
        batch = batches.Batch(np.arange(size, dtype=np.int64), {
            name: columns[i] if i < len(columns) else null for name, i in self.index.items()})
        if any(column.type != pa.string() for column in batch.columns.values()):
            return None
        try:
            flags = _latlon_flags(self.resource, batch, self.chars) if spec.kind == "latlon" \
                else _wkt_flags(self.resource, batch)
        except PublisherError:  # a WKT text beyond the limits: the own pass names its row
            return None
        if self.crs is not None and not hasattr(self._local, "transformer"):
            self._local.transformer = _transformer(self.crs)
        return summarise(flags, getattr(self._local, "transformer", None), self.extent)


def _codec(name: str) -> str:
    codec = codecs.lookup(name).name
    return "utf-8" if codec == "utf-8-sig" else codec
