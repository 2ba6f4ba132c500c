"""reduce-precision: coordinates rounded (RULES.md section 2: 4 or more decimal
places in degrees is about 11 m or finer). Degrees keep `decimals` places
(3: about 100 m); projected coordinates snap to `metres`. Every geometry kind,
vectorised with shapely's coordinate arrays.
"""

from __future__ import annotations

from typing import Annotated, Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from pydantic import Field

from publisher.errors import InputError
from publisher.package.model import Package, Resource
from publisher.params import THRESHOLD
from publisher.steps._derived import mark_derived
from publisher.steps._layers import METRIC_CRS
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class ReducePrecisionParams(StepParams):
    decimals: Annotated[int, THRESHOLD] = Field(
        3, ge=0, le=6, description="Decimal places kept in degrees "
                                   "(geographic CRS; 3: about 100 m).")
    metres: Annotated[float, THRESHOLD] = Field(
        100.0, gt=0, description="Grid step in metres coordinates snap to "
                                 "(projected CRS).")


@steps.register
class ReducePrecision(Step[ReducePrecisionParams]):
    type = "reduce-precision"
    example = """\
- type: reduce-precision
  resource: trees
  decimals: 3
"""

    def apply(self, package: Package) -> StepOutcome:
        targets = [r for r in package.select(self.params.resource) if r.is_spatial]
        if not targets:
            raise InputError(f"{self.type}: no spatial resource selected",
                             where=self.params.resource or package.source)
        per = {r.name: self._round(r) for r in targets}
        moved = sum(f["points"] for f in per.values())
        total = sum(f["mean_displacement_m"] * f["points"] for f in per.values())
        return StepOutcome(stats={
            "decimals": self.params.decimals, "metres": self.params.metres, "resources": per,
            "mean_displacement_m": round(total / moved, 2) if moved else 0.0})

    def _round(self, resource: Resource) -> dict[str, Any]:
        table = resource.table()
        assert isinstance(table, gpd.GeoDataFrame)
        if table.crs is None:
            raise InputError(f"{self.type}: the geometry has no CRS", where=resource.name)
        crs = pyproj.CRS.from_user_input(table.crs)
        geoms = np.asarray(table.geometry.array, dtype=object)
        coords = shapely.get_coordinates(geoms)
        if crs.is_geographic:
            rounded = np.round(coords, self.params.decimals)
            precision = f"{self.params.decimals} decimal places"
        else:
            rounded = np.round(coords / self.params.metres) * self.params.metres
            precision = f"{self.params.metres:g} m"
        new = shapely.set_coordinates(shapely.transform(geoms, lambda c: c), rounded)
        out = table.copy()
        out[table.geometry.name] = gpd.GeoSeries(new, index=table.index, crs=table.crs)
        resource.data = out
        mark_derived(resource)
        transformer = pyproj.Transformer.from_crs(crs, METRIC_CRS, always_xy=True)
        x0, y0 = transformer.transform(coords[:, 0], coords[:, 1])
        x1, y1 = transformer.transform(rounded[:, 0], rounded[:, 1])
        shift = np.hypot(np.asarray(x1) - x0, np.asarray(y1) - y0)
        return {"points": len(coords), "precision": precision,
                "mean_displacement_m": round(float(shift.mean()), 2) if len(shift) else 0.0,
                "max_displacement_m": round(float(shift.max()), 2) if len(shift) else 0.0}
