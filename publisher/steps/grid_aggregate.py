"""grid-aggregate: points become counts per INSPIRE grid cell (RULES.md section 2).

Points are projected to ETRS89-LAEA (EPSG:3035) and floored to the grid
resolution; each cell carries a census-style id, resolution then the lower-left
corner's northing and easting in metres: `CRS3035RES100mN2689000E4337000`.
Cells (per `by` values) holding fewer than `min_count` points are not
published. The resource becomes a plain table: cell_id, the by columns, count.

Stats: points_in counts every record; it equals points_without_geometry +
points_suppressed + the sum of the published counts.
"""

from __future__ import annotations

import copy
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from pydantic import Field
from pyproj import Transformer

from publisher.errors import InputError, SpecError
from publisher.package.model import Package, Resource
from publisher.steps._derived import drop_geometry
from publisher.steps.base import Step, StepOutcome, StepParams, steps

GRID_CRS = "EPSG:3035"
COUNTS = ("points_in", "points_without_geometry", "cells_published", "cells_suppressed",
          "points_suppressed")


class GridAggregateParams(StepParams):
    resolution: Literal[100, 250, 500, 1000, 10000] = 100
    min_count: int = Field(3, ge=1)  # RULES.md section 3: minimum cell count 3
    by: list[str] = Field(default_factory=list)


@steps.register
class GridAggregate(Step):
    type = "grid-aggregate"
    Params = GridAggregateParams

    def apply(self, package: Package) -> StepOutcome:
        assert isinstance(self.params, GridAggregateParams)
        selected = package.select(self.params.resource)
        spatial = [r for r in selected if r.is_spatial]
        if not spatial:
            names = ", ".join(r.name for r in selected) or "none"
            raise InputError(f"grid-aggregate needs point geometries; no spatial resource "
                             f"among: {names}", where=self.params.resource or package.source)
        stats: dict[str, Any] = dict.fromkeys(COUNTS, 0)
        stats.update(resolution=self.params.resolution, min_count=self.params.min_count,
                     resources={})
        outcome = StepOutcome(stats=stats)
        for resource in spatial:
            figures = aggregate(resource, self.params)
            stats["resources"][resource.name] = figures
            for key in COUNTS:
                stats[key] += figures[key]
        for resource in selected:
            if not resource.is_spatial and resource.name not in stats["resources"]:
                outcome.notes.append(f"{resource.name}: not spatial, left as it is")
        return outcome


def aggregate(resource: Resource, params: GridAggregateParams) -> dict[str, int]:
    """Replace the resource's points by cell counts; return the figures."""
    table = resource.table()
    if not isinstance(table, gpd.GeoDataFrame):
        raise InputError("grid-aggregate: the resource has no geometry column",
                         where=resource.name)
    missing = [b for b in params.by if b not in table.columns]
    if missing:
        raise SpecError(f"grid-aggregate: by column(s) {', '.join(missing)} not in the "
                        f"resource's data", where=resource.name)
    geometry = table.geometry
    absent = geometry.isna() | geometry.is_empty
    points = table[~absent]
    kinds = points.geometry.geom_type
    wrong = kinds != "Point"
    if wrong.any():
        rows = points.index[wrong]
        more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
        raise InputError(f"grid-aggregate needs point geometries; row {rows[0]} holds a "
                         f"{kinds[wrong].iloc[0]}{more}", where=resource.name,
                         hint="aggregate points only, or drop the geometry with drop-columns")
    cells = cell_ids(points, resource, params.resolution)
    frame = pd.DataFrame({"cell_id": cells, **{b: points[b] for b in params.by}})
    keys = ["cell_id", *params.by]
    counts = frame.groupby(keys, dropna=False, sort=False).size().rename("count").reset_index()
    small = counts["count"] < params.min_count
    published = counts[~small].sort_values(keys, kind="stable").reset_index(drop=True)
    published["count"] = published["count"].astype("int64")
    published.index = pd.RangeIndex(2, len(published) + 2)  # CSV rows: header is row 1

    drop_geometry(resource)
    resource.data = published
    by_values = published[params.by].astype("string")
    complete = not (by_values.isna() | (by_values == "")).any(axis=None)
    resource.descriptor["schema"] = _schema(resource, params, primary_key=complete)
    return {
        "points_in": len(table),
        "points_without_geometry": int(absent.sum()),
        "cells_published": len(published),
        "cells_suppressed": int(small.sum()),
        "points_suppressed": int(counts.loc[small, "count"].sum()),
    }


def cell_ids(points: gpd.GeoDataFrame, resource: Resource, resolution: int) -> pd.Series:
    """The INSPIRE grid cell id of each point, indexed like the points."""
    crs = points.crs or (resource.geometry.crs if resource.geometry else None)
    if crs is None:
        raise InputError("grid-aggregate: the geometry has no CRS", where=resource.name)
    transformer = Transformer.from_crs(crs, GRID_CRS, always_xy=True)
    x, y = transformer.transform(points.geometry.x.to_numpy(), points.geometry.y.to_numpy())
    x, y = np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64")
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        raise InputError(f"grid-aggregate: row {points.index[bad][0]} cannot be projected to "
                         f"{GRID_CRS}", where=resource.name)
    east = (np.floor(x / resolution) * resolution).astype("int64")
    north = (np.floor(y / resolution) * resolution).astype("int64")
    prefix = f"CRS3035RES{resolution}mN"
    return prefix + pd.Series(north, index=points.index).astype(str) + "E" + \
        pd.Series(east, index=points.index).astype(str)


def _schema(resource: Resource, params: GridAggregateParams,
            primary_key: bool) -> dict[str, Any]:
    # Runs before the new schema is set: `resource.schema` is still the point table's.
    old = {f.get("name"): f for f in resource.schema.get("fields", [])}
    fields: list[dict[str, Any]] = [{
        "name": "cell_id", "type": "string", "constraints": {"required": True},
        "description": f"INSPIRE grid cell (EPSG:3035, {params.resolution} m), census-style id",
    }]
    for name in params.by:
        spec = copy.deepcopy(old.get(name, {"name": name, "type": "string"}))
        spec.get("constraints", {}).pop("unique", None)  # many cells share a value
        fields.append(spec)
    fields.append({"name": "count", "type": "integer",
                   "constraints": {"minimum": params.min_count},
                   "description": "number of points in the cell"})
    schema: dict[str, Any] = {"fields": fields}
    if primary_key:  # a missing `by` value is a group of its own, but cannot be in a key
        schema["primaryKey"] = ["cell_id", *params.by]
    return schema
