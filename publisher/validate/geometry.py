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
import pandas as pd
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

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
    def __init__(self, resource: Resource, rows: npt.NDArray[Any]):
        self.resource = resource
        self.rows = rows
        self.result = CheckResult()
        self.counts: dict[str, int] = {}
        column = resource.geometry.column if resource.geometry else None
        self.field = column if resource.geometry and resource.geometry.kind == "wkt" else None

    def add(self, code: str, mask: BoolArray, message: str,
            details: list[str] | None = None, hints: list[str | None] | None = None) -> None:
        """One finding per flagged record, at most MAX_FINDINGS of them."""
        positions = np.flatnonzero(mask)
        self.counts[code] = self.counts.get(code, 0) + len(positions)
        for i, position in enumerate(positions[:MAX_FINDINGS]):
            row = int(self.rows[position])
            what = record_label(self.resource.format, row)
            detail = f": {details[i]}" if details else ""
            hint = hints[i] if hints else None
            self.result.findings.append(Finding(
                type=code, severity=Severity.ERROR, resource=self.resource.name, row=row,
                field=self.field, hint=hint,
                message=f"resource '{self.resource.name}', {what}: {message}{detail}"))
        if len(positions) > MAX_FINDINGS:
            self.result.notes.append(
                f"resource '{self.resource.name}': {len(positions)} {code} findings, "
                f"only the first {MAX_FINDINGS} are listed")


def _resolve_crs(resource: Resource, table: pd.DataFrame,
                 out: _Collector) -> CRS | None:
    """The table's CRS, else the declared one; a finding when neither is usable."""
    declared = resource.geometry.crs if resource.geometry else None
    crs: CRS | None = getattr(table, "crs", None)
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


def _extent(geoms: npt.NDArray[Any], check: BoolArray, crs: CRS, extent: Extent,
            out: _Collector) -> None:
    positions = np.flatnonzero(check)
    if not len(positions):
        return
    transformer = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    bounds = np.asarray(shapely.bounds(geoms[positions]), dtype=float)
    outside_sub = ~extent.contains(*_lonlat_bounds(bounds, transformer, swap=False))
    if not outside_sub.any():
        return
    swapped_sub = extent.contains(*_lonlat_bounds(bounds[outside_sub], transformer, swap=True))
    outside = np.zeros(len(geoms), dtype=bool)
    outside[positions[outside_sub]] = True
    swapped = swapped_sub[:MAX_FINDINGS].tolist()
    details = ["latitude and longitude look swapped: with x and y exchanged it lies inside"
               if s else "it stays outside with x and y exchanged" for s in swapped]
    hints: list[str | None] = ["exchange latitude and longitude" if s else None
                               for s in swapped]
    out.add("out-of-extent", outside, f"lies outside the plausible extent ({extent})",
            details, hints)


def check_geometry(resource: Resource, extent: Extent = GERMANY_AUSTRIA) -> CheckResult:
    """Geometry checks of one spatial resource; findings are capped, stats are not."""
    table = resource.view()
    checks = ["empty-geometry", "non-finite-coordinate", "invalid-geometry", "unknown-crs"]
    if not hasattr(table, "geometry"):
        return CheckResult(notes=[f"resource '{resource.name}' has no geometry column; "
                                  "geometry checks skipped"])
    geoms = np.asarray(table.geometry.array, dtype=object)
    out = _Collector(resource, table.index.to_numpy())

    missing = np.asarray(shapely.is_missing(geoms), dtype=bool)
    empty = np.asarray(shapely.is_empty(geoms), dtype=bool) & ~missing
    out.add("empty-geometry", missing, "has no geometry" + _MISSING_WHY.get(
        resource.geometry.kind if resource.geometry else "native", ""))
    out.add("empty-geometry", empty, "has an empty geometry")

    non_finite = _non_finite(geoms) & ~missing & ~empty
    out.add("non-finite-coordinate", non_finite, "has a NaN or infinite coordinate")

    present = ~missing & ~empty & ~non_finite
    invalid = present & ~np.asarray(shapely.is_valid(geoms), dtype=bool)
    reasons = shapely.is_valid_reason(geoms[np.flatnonzero(invalid)[:MAX_FINDINGS]])
    out.add("invalid-geometry", invalid, "is not a valid geometry",
            [clean_reason(str(r)) for r in reasons])

    crs = _resolve_crs(resource, table, out)
    if crs is not None:
        checks.append("out-of-extent")
        _extent(geoms, present, crs, extent, out)
    else:
        out.result.notes.append(f"resource '{resource.name}': CRS unknown, "
                                "extent check skipped")
    out.result.stats = {"checks": checks, "features": len(geoms),
                        "geometry": {c: out.counts.get(c, 0) for c in
                                     [*checks, "out-of-extent"]}}
    return out.result
