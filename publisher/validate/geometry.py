"""Vectorised geometry checks on a spatial resource's GeoDataFrame.

Checks: missing or empty geometry, invalid geometry (GEOS reason without its
coordinates), unknown or missing CRS, NaN/infinite coordinates, and records
outside a plausible extent in lon/lat (with a hint when swapping x and y would
put them inside, the classic lat/lon mix-up). Messages never carry coordinates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from publisher.package.geobatches import geometry_batches, has_geometry
from publisher.package.model import Resource
from publisher.report import Finding, Severity
from publisher.validate.result import CheckResult, record_label

MAX_FINDINGS = 1000  # per check and resource; stats count them all

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


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


def _lonlat_bounds(bounds: FloatArray, transformer: Transformer,
                   swap: bool) -> tuple[FloatArray, ...]:
    """Bounding boxes in lon/lat, from their four corners (x and y exchanged if swap)."""
    xs = bounds[:, [0, 0, 2, 2]]
    ys = bounds[:, [1, 3, 1, 3]]
    if swap:
        xs, ys = ys, xs
    with np.errstate(invalid="ignore"):
        lon, lat = transformer.transform(xs, ys, errcheck=False)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    bad = ~np.isfinite(lon).all(axis=1) | ~np.isfinite(lat).all(axis=1)
    lon_min, lon_max = lon.min(axis=1), lon.max(axis=1)
    lon_min[bad] = np.nan
    return lon_min, lat.min(axis=1), lon_max, lat.max(axis=1)


def _extent(geoms: npt.NDArray[Any], check: BoolArray, transformer: Transformer,
            extent: Extent, out: _Collector) -> None:
    positions = np.flatnonzero(check)
    if not len(positions):
        return
    bounds = np.asarray(shapely.bounds(geoms[positions]), dtype=float)
    outside_sub = ~extent.contains(*_lonlat_bounds(bounds, transformer, swap=False))
    if not outside_sub.any():
        return
    message = f"lies outside the plausible extent ({extent})"
    listed = bounds[outside_sub][:max(out.room("out-of-extent", message), 0)]
    outside = np.zeros(len(geoms), dtype=bool)
    outside[positions[outside_sub]] = True
    swapped = extent.contains(*_lonlat_bounds(listed, transformer, swap=True)).tolist()
    details = ["latitude and longitude look swapped: with x and y exchanged it lies inside"
               if s else "it stays outside with x and y exchanged" for s in swapped]
    hints: list[str | None] = ["exchange latitude and longitude" if s else None
                               for s in swapped]
    out.add("out-of-extent", outside, message, details, hints)


def check_geometry(resource: Resource, extent: Extent = GERMANY_AUSTRIA) -> CheckResult:
    """Geometry checks of one spatial resource, batch by batch (a CSV file's geometry
    columns are streamed: publisher.package.geobatches); findings are capped, stats
    are not."""
    checks = ["empty-geometry", "non-finite-coordinate", "invalid-geometry", "unknown-crs"]
    if not has_geometry(resource):
        return CheckResult(notes=[f"resource '{resource.name}' has no geometry column; "
                                  "geometry checks skipped"])
    out = _Collector(resource)
    features = 0
    resolved = False
    transformer: Transformer | None = None
    why = _MISSING_WHY.get(resource.geometry.kind if resource.geometry else "native", "")
    for batch in geometry_batches(resource):
        if not resolved:
            crs = _resolve_crs(resource, batch.crs, out)
            if crs is not None:
                transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
            resolved = True
        geoms, out.rows = batch.geoms, batch.rows
        features += len(batch)
        missing = np.asarray(shapely.is_missing(geoms), dtype=bool)
        empty = np.asarray(shapely.is_empty(geoms), dtype=bool) & ~missing
        out.add("empty-geometry", missing, "has no geometry" + why)
        out.add("empty-geometry", empty, "has an empty geometry")

        non_finite = _non_finite(geoms) & ~missing & ~empty
        out.add("non-finite-coordinate", non_finite, "has a NaN or infinite coordinate")

        present = ~missing & ~empty & ~non_finite
        invalid = present & ~np.asarray(shapely.is_valid(geoms), dtype=bool)
        message = "is not a valid geometry"
        listed = np.flatnonzero(invalid)[:max(out.room("invalid-geometry", message), 0)]
        reasons = shapely.is_valid_reason(geoms[listed]) if len(listed) else []
        out.add("invalid-geometry", invalid, message, [clean_reason(str(r)) for r in reasons])

        if transformer is not None:
            _extent(geoms, present, transformer, extent, out)
    if not resolved:  # no records: the CRS is still checked
        crs = _resolve_crs(resource, None, out)
        transformer = None if crs is None else Transformer.from_crs(crs, "EPSG:4326",
                                                                    always_xy=True)
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
