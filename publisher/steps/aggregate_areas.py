"""aggregate-areas: points become counts per administrative area, from a polygon
layer (a resource of the package or a file named in the step).

Each point falls in the first area that holds it (boundaries included); points
in no area are counted and left out. Areas (per `by` values) holding fewer than
`min_count` points are suppressed. For totals published beside the counts, run
with `min_count: 1` and follow with suppress-small-cells, which marks small
cells '.' and suppresses secondarily. The resource becomes a table of areas:
the area id (and name), the by columns, count, and the area's polygon from the
layer as WKT in `crs` (publisher.steps._polygons).
"""

from __future__ import annotations

import copy
from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import Field

from publisher.anonymity import class_ids
from publisher.errors import InputError, SpecError
from publisher.package.aggregates import mark_count
from publisher.package.model import Package, Resource
from publisher.params import THRESHOLD
from publisher.steps._derived import drop_geometry
from publisher.steps._layers import METRIC_CRS, Layer, load_layer, metric_points
from publisher.steps._polygons import (
    DEFAULT_CRS,
    OutputCrs,
    geometry_field,
    publish_with_polygons,
    reproject,
    with_polygons,
)
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class AggregateAreasParams(StepParams):
    areas: Layer = Field(description="The polygon layer of the areas: a resource of the "
                                     "package or a file (relative to the pipeline).")
    area_id: str = Field(description="The layer's column that identifies an area; published "
                                     "as the area id.")
    area_name: str | None = Field(None, description="The layer's column with the area's name, "
                                                    "published beside its id.")
    by: list[str] = Field(default_factory=list,
                          description="Columns of the points to count by as well, e.g. a "
                                      "category: one count per area and value.")
    min_count: Annotated[int, THRESHOLD] = Field(
        3, ge=1, description="Areas (per `by` values) holding fewer points "
                             "are suppressed.")
    crs: OutputCrs = DEFAULT_CRS


def area_of(points: np.ndarray, areas: np.ndarray,
            tree: shapely.STRtree | None = None) -> np.ndarray:
    """For each point, the position of the first area holding it, or -1 (TREE: the
    areas', if built already)."""
    tree = tree if tree is not None else shapely.STRtree(areas)
    hits = tree.query(points, predicate="intersects")
    out = np.full(len(points), -1, dtype=np.int64)
    if hits.shape[1]:
        order = np.lexsort((hits[1], hits[0]))
        point, area = hits[0][order], hits[1][order]
        first = np.r_[True, point[1:] != point[:-1]]
        out[point[first]] = area[first]
    return out


@steps.register
class AggregateAreas(Step[AggregateAreasParams]):
    type = "aggregate-areas"
    example = """\
- type: aggregate-areas
  resource: reports
  areas: {file: reference/stadtbezirke.geojson}
  area_id: bezirk_id
  area_name: bezirk_name
  by: [category]
  min_count: 3
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        layer = load_layer(p.areas, package, self.context, self.type)
        for column in (p.area_id, p.area_name):
            if column is not None and column not in layer.columns:
                raise SpecError(f"{self.type}: the areas layer has no column '{column}'",
                                where=p.areas.name)
        targets = [r for r in package.select(p.resource)
                   if r.is_spatial and r.name != p.areas.resource]
        if not targets:
            raise InputError(f"{self.type} needs a point resource", where=p.resource or "")
        stats: dict[str, Any] = {"min_count": p.min_count, "areas": len(layer), "resources": {}}
        for resource in targets:
            stats["resources"][resource.name] = self._aggregate(resource, layer)
        for key in ("points_in", "points_outside", "points_suppressed", "cells_published",
                    "cells_suppressed"):
            stats[key] = sum(f[key] for f in stats["resources"].values())
        smallest = [f["smallest_published"] for f in stats["resources"].values()
                    if f["smallest_published"] is not None]
        stats["smallest_published"] = min(smallest) if smallest else None
        stats["k_asked"], stats["k_reached"] = p.min_count, stats["smallest_published"]
        return StepOutcome(stats=stats)

    def _aggregate(self, resource: Resource, layer: gpd.GeoDataFrame) -> dict[str, Any]:
        p = self.params
        table = resource.table()
        assert isinstance(table, gpd.GeoDataFrame)
        missing = [b for b in p.by if b not in table.columns]
        if missing:
            raise SpecError(f"{self.type}: by column(s) {', '.join(missing)} not in the "
                            "resource's data", where=resource.name)
        points, absent = metric_points(table, resource.name, self.type)
        area = np.full(len(table), -1, dtype=np.int64)
        area[~absent] = area_of(points[~absent],
                                np.asarray(layer.geometry.array, dtype=object))
        inside = area >= 0
        keys = pd.DataFrame({"__area": area[inside]})
        for b in p.by:
            keys[b] = table[b].to_numpy()[inside]
        ids = class_ids(keys, list(keys.columns))
        sizes = np.bincount(ids) if len(ids) else np.zeros(0, dtype=np.int64)
        first = np.full(len(sizes), len(ids), dtype=np.int64)
        np.minimum.at(first, ids, np.arange(len(ids)))
        ok = sizes >= p.min_count
        rows = first[ok]
        chosen = layer.iloc[keys["__area"].to_numpy()[rows]]
        out = pd.DataFrame({p.area_id: chosen[p.area_id].astype("string").to_numpy()})
        if p.area_name:
            out[p.area_name] = chosen[p.area_name].astype("string").to_numpy()
        for b in p.by:
            out[b] = keys[b].to_numpy()[rows]
        out["count"] = sizes[ok].astype(np.int64)
        shapes = np.asarray(chosen.geometry.array, dtype=object)
        out = with_polygons(out, reproject(shapes, METRIC_CRS, p.crs), p.crs)
        out = out.sort_values([p.area_id, *p.by], kind="stable").reset_index(drop=True)
        out.index = pd.RangeIndex(2, len(out) + 2)
        schema = self._schema(resource, layer)
        drop_geometry(resource)
        resource.data = out
        publish_with_polygons(resource, p.crs)
        resource.descriptor["schema"] = schema
        return {"points_in": len(table), "points_without_geometry": int(absent.sum()),
                "points_outside": int((~absent & ~inside).sum()),
                "cells_published": int(ok.sum()), "cells_suppressed": int((~ok).sum()),
                "points_suppressed": int(sizes[~ok].sum()),
                "smallest_published": int(sizes[ok].min()) if ok.any() else None}

    def _schema(self, resource: Resource, layer: gpd.GeoDataFrame) -> dict[str, Any]:
        p = self.params
        old = {f.get("name"): f for f in resource.schema.get("fields", [])}
        fields: list[dict[str, Any]] = [{"name": p.area_id, "type": "string", "title": "Area",
                                         "constraints": {"required": True},
                                         "description": f"id of the area in '{p.areas.name}'"}]
        if p.area_name:
            fields.append({"name": p.area_name, "type": "string", "title": "Area name",
                           "description": f"name of the area in '{p.areas.name}'"})
        for name in p.by:
            spec = copy.deepcopy(old.get(name, {"name": name, "type": "string"}))
            spec.get("constraints", {}).pop("unique", None)
            fields.append(spec)
        fields.append(mark_count({"name": "count", "type": "integer", "title": "Count",
                                  "constraints": {"minimum": p.min_count},
                                  "description": "number of points in the area"}))
        fields.append(geometry_field("Area", p.crs))
        return {"fields": fields}
