"""grid-aggregate: points become counts per INSPIRE grid cell (RULES.md section 2).

Points are projected to ETRS89-LAEA (EPSG:3035) and floored to the grid
resolution; each cell carries a census-style id, resolution then the lower-left
corner's northing and easting in metres: `CRS3035RES100mN2689000E4337000`.
Cells (per `by` values) holding fewer than `min_count` points are merged upward:
their points are counted again at each resolution of `merge_up` in turn (DE:
100 m -> 1 km -> 10 km; AT: 100 m -> 250 m -> 500 m -> 1 km), each point in
exactly one published row. What still falls short at the last resolution is
suppressed. The resource becomes a table of cells: cell_id, (resolution_m when
cells of several resolutions are published), the by columns, count, and each
cell's own square (a merged-up cell: its coarser square) as a WKT polygon in
`crs` (publisher.steps._polygons).

Stats: points_in counts every record; it equals points_without_geometry +
points_suppressed + the sum of the published counts.

Columnar throughout: cells are integer keys counted with factorize and
bincount; id strings are built only for the published cells.

A CSV resource whose records are not in memory is counted by partial
aggregation: its geometry and `by` columns stream in Arrow batches, each
batch's points become counts per (cell at every resolution of the ladder,
group), the batches' counts are summed, and the ladder runs on the summed
counts. The published cells and figures are the same as from the whole table.
With a cluster (setting `cluster`) its workers count the batches of their byte
ranges of the file (publisher.cluster.grid) with the same functions.
"""

from __future__ import annotations

import copy
import functools
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from pydantic import Field, model_validator
from pyproj import Transformer
from shapely.geometry.base import GEOMETRY_TYPES

from publisher.anonymity import class_ids, combined_key
from publisher.errors import InputError, PublisherError, SpecError
from publisher.package.aggregates import mark_count
from publisher.package.batches import BATCH_ROWS, iter_batches
from publisher.package.model import Package, Resource
from publisher.package.readers._tabular import with_geometry
from publisher.params import THRESHOLD
from publisher.passes import IN_PROCESS, Passes
from publisher.steps._derived import column_names, drop_geometry, unread_columns
from publisher.steps._polygons import (
    DEFAULT_CRS,
    OutputCrs,
    cell_polygons,
    geometry_field,
    publish_with_polygons,
    with_polygons,
)
from publisher.steps.base import Step, StepOutcome, StepParams, steps

if TYPE_CHECKING:
    from publisher.package.readers._parquetset import ParquetSet

GRID_CRS = "EPSG:3035"
COUNTS = ("points_in", "points_without_geometry", "cells_published", "cells_suppressed",
          "points_suppressed", "cells_merged", "points_merged")
STREAM_ROWS = BATCH_ROWS  # records per batch of a streamed count
Resolution = Literal[100, 250, 500, 1000, 2000, 5000, 10000, 100000]


class GridAggregateParams(StepParams):
    resolution: Annotated[Resolution, THRESHOLD] = Field(
        100, description="Cell size in metres (INSPIRE grid, "
                         "EPSG:3035).")
    # RULES.md section 3: minimum cell count 3
    min_count: Annotated[int, THRESHOLD] = Field(
        3, ge=1, description="Cells (per `by` values) holding fewer points "
                             "are merged up, or suppressed.")
    by: list[str] = Field(default_factory=list,
                          description="Columns of the points to count by as well, e.g. a "
                                      "category: one count per cell and value.")
    merge_up: Annotated[list[Resolution], THRESHOLD] = Field(
        default_factory=list,
        description="Coarser resolutions, in increasing order, that small cells' points are "
                    "counted again at (DE: [1000, 10000]; AT: [250, 500, 1000]); default: "
                    "small cells are suppressed.")
    crs: OutputCrs = DEFAULT_CRS

    @model_validator(mode="after")
    def _coarser_each_time(self) -> GridAggregateParams:
        ladder = [self.resolution, *self.merge_up]
        if any(b <= a for a, b in itertools.pairwise(ladder)):
            raise ValueError("merge_up lists coarser resolutions than `resolution`, "
                             "in increasing order")
        return self

    @property
    def ladder(self) -> list[int]:
        return [self.resolution, *self.merge_up]


@steps.register
class GridAggregate(Step[GridAggregateParams]):
    type = "grid-aggregate"
    example = """\
- type: grid-aggregate
  resource: reports
  resolution: 100
  min_count: 3
  merge_up: [1000, 10000]
"""

    def apply(self, package: Package) -> StepOutcome:
        selected = package.select(self.params.resource)
        spatial = [r for r in selected if r.is_spatial]
        if not spatial:
            names = ", ".join(r.name for r in selected) or "none"
            raise InputError(f"grid-aggregate needs point geometries; no spatial resource "
                             f"among: {names}", where=self.params.resource or package.source)
        stats: dict[str, Any] = dict.fromkeys(COUNTS, 0)
        stats.update(resolution=self.params.resolution, min_count=self.params.min_count,
                     ladder=self.params.ladder, cells_by_resolution={}, resources={})
        outcome = StepOutcome(stats=stats)
        for resource in spatial:
            figures = aggregate(resource, self.params, self.context.passes)
            stats["resources"][resource.name] = figures
            for key in COUNTS:
                stats[key] += figures[key]
            for res, n in figures["cells_by_resolution"].items():
                stats["cells_by_resolution"][res] = stats["cells_by_resolution"].get(res, 0) + n
        counts = [f["smallest_published"] for f in stats["resources"].values()
                  if f["smallest_published"] is not None]
        stats["smallest_published"] = min(counts) if counts else None
        # Every published count holds at least min_count points: k on the cell.
        stats["k_asked"], stats["k_reached"] = self.params.min_count, stats["smallest_published"]
        for resource in selected:
            if not resource.is_spatial and resource.name not in stats["resources"]:
                outcome.notes.append(f"{resource.name}: not spatial, left as it is")
        return outcome


def aggregate(resource: Resource, params: GridAggregateParams,
              passes: Passes = IN_PROCESS) -> dict[str, Any]:
    """Replace the resource's points by cell counts; return the figures. With
    `passes` on a cluster, a CSV resource not in memory is counted on its workers."""
    missing = [b for b in params.by if b not in column_names(resource)]
    if missing:
        raise SpecError(f"grid-aggregate: by column(s) {', '.join(missing)} not in the "
                        f"resource's data", where=resource.name)
    total = None
    if resource.dataset is not None:  # a GeoParquet folder or prefix: row group by row group
        total = passes.grid_counts(resource, params)
        if total is None:
            total = set_counts(resource, params)
    if total is not None:
        parts, figures, by_values, points_in, absent_n = counted(total, params)
    elif unread_columns(resource) is not None:
        parts, figures, by_values, points_in, absent_n = _streamed(resource, params, passes)
    else:
        table = resource.table()
        if not isinstance(table, gpd.GeoDataFrame):
            raise InputError("grid-aggregate: the resource has no geometry column",
                             where=resource.name)
        x, y, absent = project(table, resource)
        groups = class_ids(table[params.by], params.by)[~absent]
        present_rows = np.flatnonzero(~absent)
        parts, figures = count_cells(x, y, groups, params.ladder, params.min_count)
        points = np.concatenate([p["point"] for p in parts]) if parts else \
            np.zeros(0, np.int64)
        rows = present_rows[points] if len(present_rows) else points
        by_values = {name: table[name].iloc[rows].to_numpy() for name in params.by}
        points_in, absent_n = len(table), int(absent.sum())
    published = _published_frame(parts, by_values, params)

    drop_geometry(resource, replaced=True)
    resource.data = published
    resource.projection = None
    publish_with_polygons(resource, params.crs)
    by_values = published[params.by].astype("string")
    complete = not (by_values.isna() | (by_values == "")).any(axis=None)
    resource.descriptor["schema"] = _schema(resource, params, primary_key=complete)
    counts = published["count"]
    return {"points_in": points_in, "points_without_geometry": absent_n,
            "cells_published": len(published), **figures,
            "smallest_published": int(counts.min()) if len(counts) else None}


def project(table: gpd.GeoDataFrame, resource: Resource) -> tuple[np.ndarray, np.ndarray,
                                                                    np.ndarray]:
    """EPSG:3035 x and y of the points, and which records have no geometry."""
    geoms = np.asarray(table.geometry.array, dtype=object)
    absent = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    points = geoms[~absent]
    wrong = shapely.get_type_id(points) != 0
    if wrong.any():
        rows = table.index[~absent][wrong]
        name = GEOMETRY_TYPES[int(shapely.get_type_id(points[wrong][0]))]
        more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
        raise InputError(f"grid-aggregate needs point geometries; row {rows[0]} holds a "
                         f"{name}{more}", where=resource.name,
                         hint="aggregate points only, or drop the geometry with drop-columns")
    crs = table.crs or (resource.geometry.crs if resource.geometry else None)
    if crs is None:
        raise InputError("grid-aggregate: the geometry has no CRS", where=resource.name)
    x, y = shapely.get_x(points), shapely.get_y(points)
    if not pyproj.CRS.from_user_input(crs).equals(pyproj.CRS.from_user_input(GRID_CRS)):
        x, y = _to_grid(pyproj.CRS.from_user_input(crs)).transform(x, y)
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        raise InputError(f"grid-aggregate: row {table.index[~absent][bad][0]} cannot be "
                         f"projected to {GRID_CRS}", where=resource.name)
    return x, y, absent


@functools.lru_cache(maxsize=8)
def _to_grid(crs: pyproj.CRS) -> Transformer:
    """Made once per CRS: a streamed count projects every batch."""
    return Transformer.from_crs(crs, GRID_CRS, always_xy=True)


def count_cells(x: np.ndarray, y: np.ndarray, groups: np.ndarray, ladder: list[int],
                min_count: int) -> tuple[list[dict[str, np.ndarray]], dict[str, Any]]:
    """Count points per (cell, group) up the ladder. Each published part holds, per
    cell: resolution, east, north, the position of one of its points, count."""
    remaining = np.arange(len(x))
    parts: list[dict[str, np.ndarray]] = []
    merged_cells = merged_points = 0
    by_resolution: dict[int, int] = {}
    small_cells = 0
    for level, res in enumerate(ladder):
        if len(remaining) == 0:
            break
        east = np.floor(x[remaining] / res).astype(np.int64)
        north = np.floor(y[remaining] / res).astype(np.int64)
        east0, north0 = east - east.min(), north - north.min()
        n_groups = int(groups.max()) + 1 if len(groups) else 1
        key = (east0 * (int(north0.max()) + 1) + north0) * n_groups + groups[remaining]
        codes, _ = pd.factorize(key)
        sizes = np.bincount(codes)
        first = np.full(len(sizes), len(codes), dtype=np.int64)
        np.minimum.at(first, codes, np.arange(len(codes)))
        ok = sizes >= min_count
        parts.append({"resolution": np.full(int(ok.sum()), res, dtype=np.int64),
                      "east": east[first[ok]] * res, "north": north[first[ok]] * res,
                      "point": remaining[first[ok]], "count": sizes[ok]})
        by_resolution[res] = int(ok.sum())
        small_cells = int((~ok).sum())
        left = ~ok[codes]
        if level < len(ladder) - 1:
            merged_cells += small_cells
            merged_points += int(left.sum())
        remaining = remaining[left]
    return parts, {"cells_suppressed": small_cells if len(remaining) else 0,
                   "points_suppressed": len(remaining), "cells_merged": merged_cells,
                   "points_merged": merged_points, "cells_by_resolution": by_resolution}


@dataclass
class GridCounts:
    """Partial counts of some records (a batch, a CSV byte range): each row of
    `combos` holds a set of points' cell (east, north) at every resolution of the
    ladder and their group, `weights` how many points; `keys` the `by` values of
    each group id in order of first appearance."""

    combos: np.ndarray
    weights: np.ndarray
    keys: list[tuple[Any, ...]]
    points_in: int
    absent: int


def batch_counts(frame: pd.DataFrame, resource: Resource,
                 params: GridAggregateParams) -> GridCounts:
    """The partial counts of one batch of records: the geometry and `by` columns (as
    text, indexed by row number; or a GeoDataFrame of them)."""
    part = frame if isinstance(frame, gpd.GeoDataFrame) else \
        with_geometry(frame, resource, "the CSV header")
    assert isinstance(part, gpd.GeoDataFrame)
    x, y, absent = project(part, resource)
    groups = class_ids(part[params.by], params.by)[~absent]
    keys: list[tuple[Any, ...]] = [()] if len(groups) else []
    if params.by and len(groups):
        firsts = np.unique(groups, return_index=True)[1]
        keys = list(part[params.by][~absent].iloc[firsts].itertuples(index=False, name=None))
    cells = [np.floor(v / res).astype(np.int64) for res in params.ladder for v in (x, y)]
    unique, codes = _unique_rows(np.column_stack([*cells, groups]))
    return GridCounts(unique, np.bincount(codes, minlength=len(unique)), keys, len(part),
                      int(absent.sum()))


def piece_counts(pset: ParquetSet, file: int, group: int, resource: Resource,
                 params: GridAggregateParams) -> GridCounts:
    """The counts of one row group of a GeoParquet folder or prefix, its geometry and
    `by` columns read as the reader gives them (here, or on a cluster's worker)."""
    from geopandas.io.arrow import _arrow_to_geopandas  # what read_parquet does

    from publisher.package.readers._parquetset import geometry_column, read_piece
    from publisher.package.readers.geoparquet import frame_of

    table = read_piece(pset, file, group, [geometry_column(pset), *params.by], resource.name)
    return batch_counts(frame_of(resource, _arrow_to_geopandas(table)), resource, params)


def set_counts(resource: Resource, params: GridAggregateParams) -> GridCounts | None:
    """The summed counts of a GeoParquet folder or prefix not in memory, row group by
    row group; None when a row group cannot be counted (the whole table's count then
    names the row) or the records are in memory."""
    from publisher.package.readers._parquetset import pieces

    pset = resource.dataset
    if pset is None or resource.data is not None:
        return None
    try:
        return merge_counts((piece_counts(pset, file, group, resource, params)
                             for file, group, _ in pieces(pset)), params)
    except PublisherError:
        return None


def merge_counts(counts: Iterable[GridCounts], params: GridAggregateParams) -> GridCounts:
    """Partial counts in record order summed into one: group ids renumbered in order
    of first appearance, equal rows added up. The parts are summed as they come,
    whenever they hold more rows than MERGE_ROWS and twice the sum so far, so what
    is held grows with the distinct cells, not with the records."""
    keys: dict[tuple[Any, ...], int] = {}
    combos: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    points_in = absent_n = 0
    width = 2 * len(params.ladder) + 1
    held = summed_rows = 0
    for part in counts:
        points_in += part.points_in
        absent_n += part.absent
        if not len(part.combos):
            continue
        mapping = np.array([keys.setdefault(k, len(keys)) for k in part.keys], dtype=np.int64)
        combo = part.combos.copy()
        combo[:, -1] = mapping[combo[:, -1]]
        combos.append(combo)
        weights.append(part.weights)
        held += len(combo)
        if held > max(MERGE_ROWS, 2 * summed_rows):
            unique, summed = _summed(combos, weights, width)
            combos, weights, held = [unique], [summed], len(unique)
            summed_rows = held
    unique, summed = _summed(combos, weights, width)
    return GridCounts(unique, summed, list(keys), points_in, absent_n)


MERGE_ROWS = 1 << 20  # partial counts held before they are summed


def _summed(combos: list[np.ndarray], weights: list[np.ndarray],
            width: int) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of the parts in order of first appearance, weights added up."""
    every = np.concatenate(combos) if combos else np.zeros((0, width), np.int64)
    unique, inverse = _unique_rows(every)
    summed = np.bincount(inverse, weights=np.concatenate(weights) if weights
                         else np.zeros(0), minlength=len(unique)).astype(np.int64)
    return unique, summed


def counted(total: GridCounts, params: GridAggregateParams
            ) -> tuple[list[dict[str, np.ndarray]], dict[str, Any], dict[str, np.ndarray],
                       int, int]:
    """count_weighted on summed counts: the published parts and figures, the `by`
    values of each published cell, points in, points without geometry."""
    parts, figures = count_weighted(total.combos, total.weights, params.ladder,
                                    params.min_count)
    by_groups = np.concatenate([p["group"] for p in parts]) if parts else np.zeros(0, np.int64)
    by_values = {name: np.array([total.keys[g][i] for g in by_groups.tolist()], dtype=object)
                 for i, name in enumerate(params.by)}
    return parts, figures, by_values, total.points_in, total.absent


def _streamed(resource: Resource, params: GridAggregateParams, passes: Passes = IN_PROCESS
              ) -> tuple[list[dict[str, np.ndarray]], dict[str, Any], dict[str, np.ndarray],
                         int, int]:
    """count_cells by partial aggregation over batches (counted); or where `passes`
    counts them (on a cluster: its workers count the batches, publisher.cluster.grid)."""
    assert resource.geometry is not None
    columns = [*resource.geometry.columns, *params.by]
    total = passes.grid_counts(resource, params)
    if total is not None:
        return counted(total, params)

    def frames() -> Iterator[GridCounts]:
        for batch in iter_batches(resource, columns, STREAM_ROWS):
            frame = pd.DataFrame({c: batch.columns[c].to_pandas() for c in columns})
            frame.index = pd.Index(batch.rows)
            yield batch_counts(frame, resource, params)

    return counted(merge_counts(frames(), params), params)


def _unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of an integer matrix (in order of first appearance) and
    each row's position among them; hashed, not sorted."""
    frame = pd.DataFrame(rows)
    key, _ = combined_key(frame, list(frame.columns))
    codes, _ = pd.factorize(key)
    first = np.full(int(codes.max()) + 1 if len(codes) else 0, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return rows[first], codes.astype(np.int64)


def count_weighted(combos: np.ndarray, weights: np.ndarray, ladder: list[int],
                   min_count: int) -> tuple[list[dict[str, np.ndarray]], dict[str, Any]]:
    """count_cells on points summed already: each row of `combos` holds a set of
    points' cell (east, north) at every resolution of the ladder and their group,
    `weights` how many points. The same parts (a `group` per cell in place of a
    point) and figures as count_cells on the points themselves."""
    remaining = np.arange(len(combos))
    parts: list[dict[str, np.ndarray]] = []
    merged_cells = merged_points = 0
    by_resolution: dict[int, int] = {}
    small_cells = 0
    for level, res in enumerate(ladder):
        if len(remaining) == 0:
            break
        east, north = combos[remaining, 2 * level], combos[remaining, 2 * level + 1]
        groups = combos[remaining, -1]
        _, codes = _unique_rows(np.column_stack([east, north, groups]))
        sizes = np.bincount(codes, weights=weights[remaining]).astype(np.int64)
        first = np.full(len(sizes), len(codes), dtype=np.int64)
        np.minimum.at(first, codes, np.arange(len(codes)))
        ok = sizes >= min_count
        parts.append({"resolution": np.full(int(ok.sum()), res, dtype=np.int64),
                      "east": east[first[ok]] * res, "north": north[first[ok]] * res,
                      "group": groups[first[ok]], "count": sizes[ok]})
        by_resolution[res] = int(ok.sum())
        small_cells = int((~ok).sum())
        left = ~ok[codes]
        if level < len(ladder) - 1:
            merged_cells += small_cells
            merged_points += int(weights[remaining][left].sum())
        remaining = remaining[left]
    return parts, {"cells_suppressed": small_cells if len(remaining) else 0,
                   "points_suppressed": int(weights[remaining].sum()),
                   "cells_merged": merged_cells, "points_merged": merged_points,
                   "cells_by_resolution": by_resolution}


def _published_frame(parts: list[dict[str, np.ndarray]], by_values: dict[str, np.ndarray],
                     params: GridAggregateParams) -> gpd.GeoDataFrame:
    joined = {k: np.concatenate([p[k] for p in parts]) if parts else np.zeros(0, np.int64)
              for k in ("resolution", "east", "north", "count")}
    res = pd.Series(joined["resolution"], dtype="int64")
    cell = ("CRS3035RES" + res.astype(str) + "mN" +
            pd.Series(joined["north"], dtype="int64").astype(str) + "E" +
            pd.Series(joined["east"], dtype="int64").astype(str))
    frame = pd.DataFrame({"cell_id": cell.astype(object)})
    if params.merge_up:
        frame["resolution_m"] = res
    for name in params.by:
        frame[name] = by_values[name]
    frame["count"] = pd.Series(joined["count"], dtype="int64")
    shapes = cell_polygons(joined["east"], joined["north"], joined["resolution"], GRID_CRS,
                           params.crs)
    frame = with_polygons(frame, shapes, params.crs)
    keys = ["resolution_m"] if params.merge_up else []
    frame = frame.sort_values([*keys, "cell_id", *params.by], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # CSV rows: header is row 1
    return frame


def _schema(resource: Resource, params: GridAggregateParams,
            primary_key: bool) -> dict[str, Any]:
    # Runs before the new schema is set: `resource.schema` is still the point table's.
    old = {f.get("name"): f for f in resource.schema.get("fields", [])}
    sizes = ", ".join(f"{r} m" for r in params.ladder)
    fields: list[dict[str, Any]] = [{
        "name": "cell_id", "type": "string", "title": "Grid cell",
        "constraints": {"required": True},
        "description": f"INSPIRE grid cell (EPSG:3035, {sizes}), census-style id: "
                       "resolution, then the lower-left corner's northing and easting in "
                       "metres",
    }]
    if params.merge_up:
        fields.append({"name": "resolution_m", "type": "integer", "title": "Cell size",
                       "unit": "m", "constraints": {"required": True, "enum": params.ladder},
                       "description": "edge length of the row's cell in metres: cells below "
                                      "the minimum count are merged into coarser cells"})
    for name in params.by:
        spec = copy.deepcopy(old.get(name, {"name": name, "type": "string"}))
        spec.get("constraints", {}).pop("unique", None)  # many cells share a value
        fields.append(spec)
    fields.append(mark_count({"name": "count", "type": "integer", "title": "Count",
                              "constraints": {"minimum": params.min_count},
                              "description": "number of points in the cell"}))
    fields.append(geometry_field("Grid cell", params.crs))
    schema: dict[str, Any] = {"fields": fields}
    if primary_key:  # a missing `by` value is a group of its own, but cannot be in a key
        schema["primaryKey"] = ["cell_id", *params.by]
    return schema
