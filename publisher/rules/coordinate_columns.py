"""coordinate-columns: coordinate pairs in the columns of a table (RULES.md section 2).

coordinate-precision looks at declared geometry. A table can carry the same
points in plain columns: latitude / longitude in degrees, or ETRS89 / UTM
eastings and northings (EPSG:25832 / 25833, also with the zone number in front,
EPSG:4647 / 5650), in a table without geometry or beside the geometry of a
spatial one. Such a pair is found by its names or by the pattern of two
neighbouring columns in the y and x ranges of the policy's extent
(publisher.rules._coordinate_columns); a column of prices or counts in the
same range alone is not a pair.

A pair is flagged when points are given finer than `min_resolution_m` (as in
coordinate-precision), at a severity that depends on whether the resource is
personal (publisher.rules._personal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import Field

from publisher.masking import mask
from publisher.package.batches import iter_batches
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._coordinate_columns import Pair, PairCounts, find_pairs, in_range, numbers
from publisher.rules._extent import ExtentParam
from publisher.rules._personal import (
    Personal,
    PersonalParams,
    overridden,
    personal_status,
    severity_for,
)
from publisher.rules._shared import BatchPass
from publisher.rules.base import Rule, rules
from publisher.rules.coordinate_precision import resolution_m


class CoordinateColumnsParams(PersonalParams):
    min_resolution_m: float = Field(100.0, gt=0, description="Points finer than this (in "
                                                             "metres) are flagged.")
    extent: ExtentParam = Field(description="Where coordinates are looked for: [min lon, min "
                                            "lat, max lon, max lat] in degrees; default: "
                                            "Germany and Austria.")
    min_share: float = Field(0.95, gt=0, le=1,
                             description="Share of a column's non-empty cells that must be "
                                         "numbers in range for it to count as a coordinate.")
    ignore: list[str] = Field(default_factory=list,
                              description="Column names never taken for coordinates.")


@dataclass
class _Measure:
    points: int = 0
    finer: int = 0
    finest: float = float("inf")
    first_row: int | None = None
    sample: str | None = None


@rules.register
class CoordinateColumns(Rule[CoordinateColumnsParams]):
    type = "coordinate-columns"
    example = """\
- id: coordinate-columns
  type: coordinate-columns
  severity: block
  params:
    min_resolution_m: 100
    extent: [5.8, 46.3, 17.2, 55.1]
    ignore: [preis_eur]
"""
    default_severity = Severity.BLOCK
    fixes = ("drop-columns", "reduce-precision", "grid-aggregate")
    fix_how = ("drop the coordinate columns, or declare them as the resource's geometry and "
               "coarsen it")

    def batch_passes(self, resource: Resource) -> list[BatchPass[Any]]:
        return [PairCounts(self._extent(), self.params.min_share, frozenset(self.params.ignore))]

    def _extent(self) -> tuple[float, float, float, float]:
        extent = self.params.extent
        return (extent[0], extent[1], extent[2], extent[3])

    def check(self, package: Package) -> Iterable[Finding]:
        params = self.params
        extent = self._extent()
        stats: dict[str, object] = {}
        for resource in package.resources:
            pairs = find_pairs(resource, extent, params.min_share, frozenset(params.ignore))
            if not pairs:
                continue
            status = personal_status(package, resource, params)
            found = []
            for pair in pairs:
                measured = _measure(resource, pair, params.min_resolution_m)
                found.append({"y": pair.y, "x": pair.x, "crs": [s.crs for s in pair.systems],
                              "by": "names" if pair.named else "pattern",
                              "points": measured.points, "finer": measured.finer})
                if measured.finer:
                    yield self._finding(resource, pair, measured, status,
                                        overridden(package, resource, params))
            stats[resource.name] = {"candidate_pairs": found, "personal": str(status)}
        self.stats = stats

    def _finding(self, resource: Resource, pair: Pair, measured: _Measure,
                 status: Personal, why: str | None) -> Finding:
        params = self.params
        crs = " or ".join(s.crs for s in pair.systems)
        what = "latitude/longitude" if pair.systems[0].geographic else "northing/easting"
        how = "by their names" if pair.named else "by two neighbouring columns in range"
        return Finding(
            type=self.type, rule=self.id, resource=resource.name, field=pair.y,
            severity=severity_for(status, self.severity, params),
            row=measured.first_row, sample=measured.sample, hint=self.hint,
            message=(f"columns '{pair.y}' and '{pair.x}' hold coordinates ({what}, {crs}; "
                     f"found {how}): {measured.finer} of {measured.points} points are given "
                     f"to about {_fmt(measured.finest)} or finer; the policy asks for "
                     f"{_fmt(params.min_resolution_m)} or coarser; the resource counts "
                     f"as {status}" + (f" ({why})" if why else "")))


def _measure(resource: Resource, pair: Pair, limit: float) -> _Measure:
    """Second pass over the pair's two columns: points in range, and how fine they are."""
    system = pair.systems[0]
    out = _Measure()
    for batch in iter_batches(resource, [pair.y, pair.x]):
        ys, _ = numbers(batch.columns[pair.y])
        xs, _ = numbers(batch.columns[pair.x])
        inside = in_range(ys, system.y) & in_range(xs, system.x)
        if not inside.any():
            continue
        res = resolution_m(xs[inside], ys[inside], system.geographic)
        fine = res < limit
        out.points += int(inside.sum())
        out.finer += int(fine.sum())
        out.finest = min(out.finest, float(res.min()))
        if out.first_row is None and fine.any():
            first = int(np.flatnonzero(fine)[0])
            out.first_row = int(batch.rows[inside][first])
            out.sample = mask(f"{ys[inside][first]} {xs[inside][first]}")
    return out


def _fmt(metres: float) -> str:
    return f"{metres:.0f} m" if metres >= 1 else f"{metres * 100:.0f} cm"
