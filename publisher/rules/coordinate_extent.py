"""coordinate-extent: geometries outside the declared extent (RULES.md section 2).

Germany and Austria lie within about lon 5.8 to 17.2 and lat 46.3 to 55.1;
a city's policy narrows `extent` to the city. A resource or package
descriptor may declare its own `bbox` ([min lon, min lat, max lon, max lat],
EPSG:4326), which is used instead. Coordinates outside usually mean swapped
axes or a wrong CRS.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
from pydantic import Field

from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules._extent import ExtentParam
from publisher.rules.base import Rule, RuleParams, rules


class CoordinateExtentParams(RuleParams):
    extent: ExtentParam = Field(description="The area the data should lie in: [min lon, min "
                                            "lat, max lon, max lat] in degrees; default: "
                                            "Germany and Austria.")


@rules.register
class CoordinateExtent(Rule[CoordinateExtentParams]):
    type = "coordinate-extent"
    example = """\
- id: coordinate-extent
  type: coordinate-extent
  severity: warn
  params:
    extent: [9.5, 46.3, 17.2, 49.1]  # Austria
"""
    default_severity = Severity.WARN
    hint = "check the axis order (lat/lon) and the declared CRS of the resource"

    def check(self, package: Package) -> Iterable[Finding]:
        for resource in package.resources:
            table = resource.view()
            if not isinstance(table, gpd.GeoDataFrame) or table.crs is None:
                continue
            box = _bbox(resource.descriptor) or _bbox(package.descriptor) or self.params.extent
            shapes = table.geometry[~(table.geometry.isna() | table.geometry.is_empty)]
            if shapes.empty:
                continue
            bounds = shapes.to_crs("EPSG:4326").bounds.to_numpy()
            outside = ~((bounds[:, 0] >= box[0]) & (bounds[:, 1] >= box[1])
                        & (bounds[:, 2] <= box[2]) & (bounds[:, 3] <= box[3]))
            if outside.any():
                first = int(np.flatnonzero(outside)[0])
                yield self.finding(
                    f"{int(outside.sum())} of {len(shapes)} geometries lie outside the "
                    f"extent {box}", resource=resource.name, field="geometry",
                    row=int(shapes.index[first]))


def _bbox(descriptor: dict[str, Any]) -> list[float] | None:
    box = descriptor.get("bbox")
    if isinstance(box, list) and len(box) == 4 and all(isinstance(v, int | float) for v in box):
        return [float(v) for v in box]
    return None
