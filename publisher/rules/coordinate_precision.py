"""coordinate-precision: point coordinates finer than the policy allows (RULES.md section 2).

The effective resolution of a point is the coarsest grid both its coordinates
lie on: in degrees, 10^-d for d decimal places (about 111 km x 10^-d, so 4
places is about 11 m); in a projected CRS such as EPSG:25832/25833, the
largest step (0.001 m ... 10 km) that divides easting and northing. A point
finer than `min_resolution_m` (default 100 m: IMAGI treats raster cells of at
least 100 m x 100 m as non-personal) is flagged. Severity depends on whether
the resource is personal (publisher.rules._personal).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
from pydantic import Field
from pyproj import CRS

from publisher.masking import mask
from publisher.package.geobatches import GeoBatch, has_geometry
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._personal import PersonalParams, overridden, personal_status, severity_for
from publisher.rules._points import CrsPass, GeometryPass, PointBatch, points_of
from publisher.rules._shared import result_of
from publisher.rules.base import Rule, rules

METRES_PER_DEGREE = 111_320.0
_DEGREE_STEPS = np.array([10.0 ** -d for d in range(0, 10)])
_METRE_STEPS = np.array([10_000, 1_000, 500, 250, 100, 10, 1, 0.1, 0.01, 0.001])


class CoordinatePrecisionParams(PersonalParams):
    min_resolution_m: float = Field(100.0, gt=0, description="Points finer than this (in "
                                                             "metres) are flagged.")


def resolution_m(x: np.ndarray, y: np.ndarray, geographic: bool) -> np.ndarray:
    """Per point, the coarsest grid step (in metres) that both coordinates lie on."""
    steps = _DEGREE_STEPS if geographic else _METRE_STEPS
    out = np.full(len(x), steps[-1], dtype="float64")
    done = np.zeros(len(x), dtype=bool)
    for step in steps:
        ok = _on_grid(x, step) & _on_grid(y, step) & ~done
        out[ok] = step
        done |= ok
    return out * METRES_PER_DEGREE if geographic else out


def _on_grid(values: np.ndarray, step: float) -> np.ndarray:
    scaled = values / step
    return np.asarray(np.abs(scaled - np.rint(scaled)) <= 1e-6 + 1e-12 * np.abs(scaled))


@rules.register
class CoordinatePrecision(Rule[CoordinatePrecisionParams]):
    type = "coordinate-precision"
    example = """\
- id: coordinate-precision
  type: coordinate-precision
  severity: block
  params:
    min_resolution_m: 100
    non_personal_resources: [trees]
"""
    default_severity = Severity.BLOCK
    fixes = ("grid-aggregate", "reduce-precision", "displace-points")
    fix_how = "publish counts per 100 m cell, or coarsen the points"

    def geometry_passes(self, package: Package, resource: Resource) -> list[GeometryPass[Any]]:
        if not has_geometry(resource):
            return []
        return [_FinePoints(self.params.min_resolution_m)]

    def check(self, package: Package) -> Iterable[Finding]:
        limit = self.params.min_resolution_m
        stats: dict[str, object] = {}
        for resource in package.resources:
            found = _fine_points(resource, limit)
            if found is None:
                continue
            points, fine, finest, first, geographic = found
            status = personal_status(package, resource, self.params)
            why = overridden(package, resource, self.params)
            stats[resource.name] = {"points": points, "finer": fine, "finest_m": finest,
                                    "personal": str(status)}
            if first is None:
                continue
            row, x, y = first
            unit = "degrees" if geographic else "metres"
            yield Finding(
                type=self.type, rule=self.id, resource=resource.name,
                severity=severity_for(status, self.severity, self.params),
                row=row, field="geometry",
                sample=mask(f"{x} {y}"), hint=self.hint,
                message=(f"{fine} of {points} points are given to about "
                         f"{_fmt(finest)} or finer ({unit}); the policy asks for "
                         f"{_fmt(limit)} or coarser; the resource counts as {status}"
                         + (f" ({why})" if why else "")))
        self.stats = stats


Fine = tuple[int, int, float, tuple[int, np.float64, np.float64] | None, bool]


def _fine_points(resource: Resource, limit: float) -> Fine | None:
    """Over the resource's geometry batch by batch: its points, how many are finer
    than LIMIT, the finest resolution, the first fine point (row, x, y), whether
    the CRS is geographic; None without points or without a CRS."""
    if not has_geometry(resource):
        return None
    return result_of(resource, _FinePoints(limit))


class _FinePoints(CrsPass["Fine | None"]):
    def __init__(self, limit: float) -> None:
        self.limit = limit
        self.points = self.fine = 0
        self.finest = float("inf")
        self.first: tuple[int, np.float64, np.float64] | None = None
        self.geographic = True

    @property
    def key(self) -> Hashable:
        return ("coordinate-precision", self.limit)

    def take(self, batch: PointBatch | GeoBatch, crs: CRS) -> None:
        self.geographic = crs.is_geographic
        points = points_of(batch)
        if not len(points):
            return
        xs, ys = points.x, points.y
        res = resolution_m(xs, ys, self.geographic)
        flagged = res < self.limit
        self.points += len(res)
        self.fine += int(flagged.sum())
        self.finest = min(self.finest, float(res.min()))
        if self.first is None and flagged.any():
            at = int(np.flatnonzero(flagged)[0])
            self.first = (int(points.rows[at]), xs[at], ys[at])

    def result(self) -> Fine | None:
        if self.crs_missing or not self.points:
            return None
        return (self.points, self.fine, self.finest, self.first, self.geographic)


def _fmt(metres: float) -> str:
    return f"{metres:.0f} m" if metres >= 1 else f"{metres * 100:.0f} cm"
