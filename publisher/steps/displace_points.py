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

A point's move depends only on its own position, the key and the layers, which
are read once: the records go through batch by batch, in one pass with the
row-wise steps beside the step (on a cluster, on its workers). A record whose
point is suppressed is left out; a record without a point is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import Field, model_validator

from publisher.errors import InputError
from publisher.package.model import Package
from publisher.params import THRESHOLD
from publisher.steps._layers import METRIC_CRS, Layer, load_layer, metric_points
from publisher.steps._stream import after, rewrite, settle
from publisher.steps._sums import SCALE, scaled_sum
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
                 limit: float, tree: shapely.STRtree | None = None) -> np.ndarray:
    """Distance from each point to its k-th nearest reference point, inf when fewer
    than k lie within `limit` (TREE: the reference's, if built already)."""
    out = np.full(len(points), np.inf)
    if len(points) == 0 or len(reference) == 0:
        return out
    tree = tree if tree is not None else shapely.STRtree(reference)
    pairs = tree.query(points, predicate="dwithin", distance=limit)
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
    row_wise = True
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
        reference = self._shapes(p.reference, package)
        areas = self._shapes(p.within, package)
        moves = {r.name: _Moves() for r in targets}
        for r in targets:
            rewrite(r, _Displace(p, key, reference, areas, moves[r.name], self.type, r.name),
                    self.context, tally=moves[r.name])
        outcome = StepOutcome(stats={"min_distance": p.min_distance,
                                     "max_distance": p.max_distance,
                                     "k_asked": p.k if reference is not None else None})

        def count() -> None:  # once every point was moved
            total = _Moves()
            for figures in moves.values():
                total.merge(figures)
            outcome.stats.update({
                "points_displaced": total.displaced, "points_suppressed": total.suppressed,
                "rows_suppressed": total.suppressed,
                "mean_displacement_m": round(total.mean, 1) if total.displaced else 0,
                "resources": {name: m.figures() for name, m in moves.items()},
                "k_reached": total.spatial_k})

        after(self.context, count)
        return outcome

    def _shapes(self, layer: Layer | None, package: Package) -> _Shapes | None:
        """A layer's geometries in the metric CRS; a resource of the package with the
        changes queued on it made first."""
        if layer is None:
            return None
        if layer.resource is not None:
            settle(self.context, package.resource(layer.resource))
        frame = load_layer(layer, package, self.context, self.type)
        return _Shapes(np.asarray(frame.geometry.array, dtype=object))


@dataclass(eq=False)
class _Shapes:
    """A layer's geometries, and their search tree, built on first use in the process
    that queries it: never pickled (a copy unpickled on a worker builds its own).
    They travel as WKB, converted in one call each way (pickled one by one, 200,000
    points take seconds)."""

    geoms: np.ndarray
    _tree: shapely.STRtree | None = field(default=None, init=False, repr=False)

    @property
    def tree(self) -> shapely.STRtree:
        if self._tree is None:
            self._tree = shapely.STRtree(self.geoms)
        return self._tree

    def __getstate__(self) -> dict[str, Any]:
        return {"wkb": shapely.to_wkb(self.geoms)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.geoms, self._tree = shapely.from_wkb(state["wkb"]), None


@dataclass
class _Moves:
    """What the change counted over the records it was given (a Tally of
    publisher.steps._stream, merged over batches and byte ranges in file order). The
    shifts are summed exactly, so the mean does not depend on how the records were cut."""

    points_in: int = 0
    displaced: int = 0
    suppressed: int = 0
    scaled: int = 0  # the sum of the shifts times 2**SCALE, exact
    least: float = math.inf
    spatial_k: int | None = None  # None: no kept point counted against a reference

    @property
    def mean(self) -> float:
        return self.scaled / 2**SCALE / self.displaced if self.displaced else 0.0

    def add(self, records: int, shift: np.ndarray, suppressed: int,
            spatial_k: int | None) -> None:
        self.points_in += records
        self.displaced += len(shift)
        self.suppressed += suppressed
        if len(shift):
            self.scaled += scaled_sum(shift)
            self.least = min(self.least, float(shift.min()))
        self.spatial_k = _least(self.spatial_k, spatial_k)

    def reset(self) -> None:
        self.points_in = self.displaced = self.suppressed = self.scaled = 0
        self.least, self.spatial_k = math.inf, None

    def merge(self, other: _Moves) -> None:
        self.points_in += other.points_in
        self.displaced += other.displaced
        self.suppressed += other.suppressed
        self.scaled += other.scaled
        self.least = min(self.least, other.least)
        self.spatial_k = _least(self.spatial_k, other.spatial_k)

    def figures(self) -> dict[str, Any]:
        moved = bool(self.displaced)
        return {"points_in": self.points_in, "points_displaced": self.displaced,
                "points_suppressed": self.suppressed,
                "mean_displacement_m": round(self.mean, 1) if moved else 0.0,
                "min_displacement_m": round(self.least, 1) if moved else 0.0,
                "spatial_k_min": self.spatial_k}


def _least(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


@dataclass(eq=False)
class _Displace:
    """The change: some records with their points moved, those whose point is
    suppressed left out (records without a point kept); what it did added to MOVES."""

    params: DisplacePointsParams
    key: str = field(repr=False)
    reference: _Shapes | None
    areas: _Shapes | None
    moves: _Moves
    step: str
    where: str  # the resource's name

    def __call__(self, table: pd.DataFrame) -> pd.DataFrame:
        p = self.params
        assert isinstance(table, gpd.GeoDataFrame)
        projected, absent = metric_points(table, self.where, self.step)
        points = projected[~absent]
        x, y = shapely.get_x(points), shapely.get_y(points)
        inner = np.full(len(points), p.min_distance)
        keep = np.ones(len(points), dtype=bool)
        if self.reference is not None:
            kth = kth_distance(points, self.reference.geoms, p.k, p.max_distance,
                               self.reference.tree)
            inner = np.maximum(inner, kth)
            keep &= np.isfinite(kth) & (kth < p.max_distance)
        area_geoms = None
        if self.areas is not None:
            shapes = self.areas.geoms
            home = area_of(points, shapes, self.areas.tree)
            keep &= home >= 0
            area_geoms = shapes[np.maximum(home, 0)] if len(shapes) else \
                np.full(len(points), None, dtype=object)
        new_x, new_y = x.copy(), y.copy()
        pending = keep.copy()
        for attempt in range(p.attempts):
            if not pending.any():
                break
            u, v = uniforms(x[pending], y[pending], attempt, self.key)
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
        if self.reference is not None and keep.any():
            spatial_k = _spatial_k(points[keep], self.reference.tree, self.reference.geoms,
                                   shift)
        self.moves.add(len(table), shift, int((~keep).sum()), spatial_k)
        moved = gpd.GeoSeries(shapely.points(new_x[keep], new_y[keep]), crs=METRIC_CRS)
        rows = table.index[~absent][keep]
        out: pd.DataFrame = table.loc[table.index[absent].append(rows)].sort_index()
        geometry = gpd.GeoSeries(out.geometry.to_numpy(), index=out.index, crs=table.crs)
        geometry.loc[rows] = moved.to_crs(table.crs).to_numpy()
        out[table.geometry.name] = geometry
        return out


def _spatial_k(points: np.ndarray, tree: shapely.STRtree, refs: np.ndarray,
               radius: np.ndarray) -> int:
    """The smallest number of reference points within each point's displacement."""
    pairs = tree.query(points, predicate="dwithin", distance=radius.max())
    near = shapely.distance(points[pairs[0]], refs[pairs[1]]) <= radius[pairs[0]]
    counts = np.bincount(pairs[0][near], minlength=len(points))
    return int(counts.min())
