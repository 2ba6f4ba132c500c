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

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
from pydantic import Field
from pyproj import CRS

from publisher.masking import mask
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules._personal import PersonalParams, overridden, personal_status, severity_for
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

    def check(self, package: Package) -> Iterable[Finding]:
        limit = self.params.min_resolution_m
        stats: dict[str, object] = {}
        for resource in package.resources:
            table = resource.view()
            if not isinstance(table, gpd.GeoDataFrame) or table.crs is None:
                continue
            geometry = table.geometry
            points = table[(geometry.geom_type == "Point") & ~geometry.is_empty]
            if points.empty:
                continue
            geographic = CRS.from_user_input(table.crs).is_geographic
            xs, ys = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
            res = resolution_m(xs, ys, geographic)
            fine = res < limit
            status = personal_status(package, resource, self.params)
            why = overridden(package, resource, self.params)
            stats[resource.name] = {"points": len(points), "finer": int(fine.sum()),
                                    "finest_m": float(res.min()), "personal": str(status)}
            if not fine.any():
                continue
            first = int(np.flatnonzero(fine)[0])
            unit = "degrees" if geographic else "metres"
            yield Finding(
                type=self.type, rule=self.id, resource=resource.name,
                severity=severity_for(status, self.severity, self.params),
                row=int(points.index[first]), field="geometry",
                sample=mask(f"{xs[first]} {ys[first]}"), hint=self.hint,
                message=(f"{int(fine.sum())} of {len(points)} points are given to about "
                         f"{_fmt(float(res.min()))} or finer ({unit}); the policy asks for "
                         f"{_fmt(limit)} or coarser; the resource counts as {status}"
                         + (f" ({why})" if why else "")))
        self.stats = stats


def _fmt(metres: float) -> str:
    return f"{metres:.0f} m" if metres >= 1 else f"{metres * 100:.0f} cm"
