"""displace-points: donut geomasking for points that must stay points (RULES.md
section 2: 50-250 m in cities, spatial k of at least 5 against address points,
each point kept inside its district).

Each point moves in a random direction by a distance between an inner and an
outer radius. With a reference layer (address points), the inner radius grows
to the distance of the k-th nearest reference point, so at least k addresses
lie closer to the original than the distance moved (the spatial k reported is
the smallest such count); a point with fewer than k references within the
outer radius is suppressed. With an areas layer, a displaced point must stay
in the area of its original; it gets `attempts` draws, then is suppressed.

The randomness is a keyed hash (the secret of the settings or `key_env`) of the
original position: the same point moves the same way in every run, so
republishing neither changes the data nor lets anyone average positions, and
no one without the key can undo the move.
"""

from __future__ import annotations

from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import Field, model_validator

from publisher.errors import InputError
from publisher.package.model import Package, Resource
from publisher.params import THRESHOLD
from publisher.steps._derived import mark_derived
from publisher.steps._layers import METRIC_CRS, Layer, load_layer, metric_points
from publisher.steps.aggregate_areas import area_of
from publisher.steps.base import Step, StepOutcome, StepParams, steps
from publisher.steps.perturb_cell_key import hash_key


class DisplacePointsParams(StepParams):
    min_distance: Annotated[float, THRESHOLD] = Field(
        50.0, ge=0, description="Inner radius in metres: every point "
                                "moves at least this far.")
    max_distance: Annotated[float, THRESHOLD] = Field(
        250.0, gt=0, description="Outer radius in metres: no point "
                                 "moves farther.")
    k: Annotated[int, THRESHOLD] = Field(
        5, ge=1, description="Spatial k: with `reference`, at least k reference "
                             "points lie closer to the original than the distance "
                             "moved.")
    reference: Layer | None = Field(None, description="Address points (a resource or a file) "
                                                      "the spatial k is counted against.")
    within: Layer | None = Field(None, description="Areas (e.g. districts) a displaced point "
                                                   "must stay inside, each in its original's.")
    attempts: int = Field(20, ge=1, le=100, description="Draws a point gets to land inside its "
                                                        "area before it is suppressed.")
    key_env: str | None = Field(None, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$",
                                description="Environment variable holding the secret key; "
                                            "default: PUBLISHER_PSEUDONYM_KEY.")

    @model_validator(mode="after")
    def _ordered(self) -> DisplacePointsParams:
        if self.min_distance >= self.max_distance:
            raise ValueError("min_distance must be below max_distance")
        return self


def kth_distance(points: np.ndarray, reference: np.ndarray, k: int,
                 limit: float) -> np.ndarray:
    """Distance from each point to its k-th nearest reference point, inf when fewer
    than k lie within `limit`."""
    out = np.full(len(points), np.inf)
    if len(points) == 0 or len(reference) == 0:
        return out
    pairs = shapely.STRtree(reference).query(points, predicate="dwithin", distance=limit)
    if not pairs.shape[1]:
        return out
    distance = shapely.distance(points[pairs[0]], reference[pairs[1]])
    order = np.lexsort((distance, pairs[0]))
    point, distance = pairs[0][order], distance[order]
    start = np.searchsorted(point, point, side="left")
    rank = np.arange(len(point)) - start
    hit = rank == k - 1
    out[point[hit]] = distance[hit]
    return out


def uniforms(x: np.ndarray, y: np.ndarray, attempt: int, key: str) -> tuple[np.ndarray,
                                                                              np.ndarray]:
    """Two keyed pseudo-random numbers in [0, 1) per point and attempt."""
    frame = pd.DataFrame({"x": np.round(x, 3), "y": np.round(y, 3)})
    out = []
    for salt in (2 * attempt, 2 * attempt + 1):
        hashed = pd.util.hash_pandas_object(frame.assign(s=salt), index=False, hash_key=key)
        out.append((hashed.to_numpy(dtype=np.uint64) >> np.uint64(11)).astype(np.float64)
                   / 2**53)
    return out[0], out[1]


@steps.register
class DisplacePoints(Step[DisplacePointsParams]):
    type = "displace-points"
    example = """\
- type: displace-points
  resource: charging_points
  min_distance: 50
  max_distance: 250
  k: 5
  reference: {file: reference/hausnummern.gpkg}
  within: {file: reference/stadtbezirke.geojson}
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        layers = {p.reference.resource if p.reference else None,
                  p.within.resource if p.within else None}
        targets = [r for r in package.select(p.resource) if r.is_spatial and r.name not in layers]
        if not targets:
            raise InputError(f"{self.type}: no point resource selected",
                             where=p.resource or package.source)
        key = hash_key(self.context.key(p.key_env, self.type))
        reference = load_layer(p.reference, package, self.context, self.type) \
            if p.reference else None
        areas = load_layer(p.within, package, self.context, self.type) if p.within else None
        per = {r.name: self._displace(r, key, reference, areas) for r in targets}
        moved = sum(f["points_displaced"] for f in per.values())
        stats: dict[str, Any] = {
            "min_distance": p.min_distance, "max_distance": p.max_distance,
            "k_asked": p.k if reference is not None else None,
            "points_displaced": moved,
            "points_suppressed": sum(f["points_suppressed"] for f in per.values()),
            "rows_suppressed": sum(f["points_suppressed"] for f in per.values()),
            "mean_displacement_m": round(sum(f["mean_displacement_m"] * f["points_displaced"]
                                             for f in per.values()) / moved, 1) if moved else 0,
            "resources": per}
        ks = [f["spatial_k_min"] for f in per.values() if f["spatial_k_min"] is not None]
        stats["k_reached"] = min(ks) if ks else None
        return StepOutcome(stats=stats)

    def _displace(self, resource: Resource, key: str, reference: gpd.GeoDataFrame | None,
                  areas: gpd.GeoDataFrame | None) -> dict[str, Any]:
        p = self.params
        table = resource.table()
        assert isinstance(table, gpd.GeoDataFrame)
        projected, absent = metric_points(table, resource.name, self.type)
        points = projected[~absent]
        x, y = shapely.get_x(points), shapely.get_y(points)
        inner = np.full(len(points), p.min_distance)
        keep = np.ones(len(points), dtype=bool)
        refs = np.zeros(0, dtype=object)
        if reference is not None:
            refs = np.asarray(reference.geometry.array, dtype=object)
            kth = kth_distance(points, refs, p.k, p.max_distance)
            inner = np.maximum(inner, kth)
            keep &= np.isfinite(kth) & (kth < p.max_distance)
        area_geoms = None
        if areas is not None:
            shapes = np.asarray(areas.geometry.array, dtype=object)
            home = area_of(points, shapes)
            keep &= home >= 0
            area_geoms = shapes[np.maximum(home, 0)]
        new_x, new_y = x.copy(), y.copy()
        pending = keep.copy()
        for attempt in range(p.attempts):
            if not pending.any():
                break
            u, v = uniforms(x[pending], y[pending], attempt, key)
            r_in, r_out = inner[pending], p.max_distance
            radius = np.sqrt(v * (r_out**2 - r_in**2) + r_in**2)
            cx = x[pending] + radius * np.cos(2 * np.pi * u)
            cy = y[pending] + radius * np.sin(2 * np.pi * u)
            ok = np.ones(len(cx), dtype=bool)
            if area_geoms is not None:
                ok = shapely.intersects_xy(area_geoms[pending], cx, cy)
            idx = np.flatnonzero(pending)[ok]
            new_x[idx], new_y[idx] = cx[ok], cy[ok]
            pending[idx] = False
        keep &= ~pending
        shift = np.hypot(new_x - x, new_y - y)[keep]
        spatial_k = None
        if reference is not None and keep.any():
            spatial_k = _spatial_k(points[keep], refs, shift)
        moved = gpd.GeoSeries(shapely.points(new_x[keep], new_y[keep]), crs=METRIC_CRS)
        rows = table.index[~absent][keep]
        out = table.loc[table.index[absent].append(rows)].sort_index()
        geometry = gpd.GeoSeries(out.geometry.to_numpy(), index=out.index, crs=table.crs)
        geometry.loc[rows] = moved.to_crs(table.crs).to_numpy()
        out[table.geometry.name] = geometry
        resource.data = out
        mark_derived(resource)
        return {"points_in": len(table), "points_displaced": int(keep.sum()),
                "points_suppressed": int((~keep).sum()),
                "mean_displacement_m": round(float(shift.mean()), 1) if len(shift) else 0.0,
                "min_displacement_m": round(float(shift.min()), 1) if len(shift) else 0.0,
                "spatial_k_min": spatial_k}


def _spatial_k(points: np.ndarray, refs: np.ndarray, radius: np.ndarray) -> int:
    """The smallest number of reference points within each point's displacement."""
    pairs = shapely.STRtree(refs).query(points, predicate="dwithin", distance=radius.max())
    near = shapely.distance(points[pairs[0]], refs[pairs[1]]) <= radius[pairs[0]]
    counts = np.bincount(pairs[0][near], minlength=len(points))
    return int(counts.min())
