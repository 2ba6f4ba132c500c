"""Small builders shared by the step tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from publisher.package.model import GeometrySpec, Package, Resource
from publisher.steps.base import StepContext, StepOutcome, steps

KEY = "test-key-0123456789abcdef"


def table(name: str, data: dict[str, list[Any]], fields: dict[str, str] | None = None) -> Resource:
    frame = pd.DataFrame(data, dtype="str")
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    kinds = fields or {}
    schema = {"fields": [{"name": c, "type": kinds.get(c, "string")} for c in frame.columns]}
    return Resource(name=name, format="csv", descriptor={"name": name, "schema": schema},
                    data=frame)


def points(name: str, x: np.ndarray, y: np.ndarray, crs: str = "EPSG:3035",
           **columns: Any) -> Resource:
    frame = gpd.GeoDataFrame(columns, geometry=shapely.points(x, y), crs=crs,
                             index=pd.RangeIndex(1, len(x) + 1))
    schema = {"fields": [{"name": c, "type": "string"} for c in columns]}
    return Resource(name=name, format="geojson", descriptor={"name": name, "schema": schema},
                    geometry=GeometrySpec(kind="native", crs=crs), data=frame)


def pkg(*resources: Resource, root: Path = Path(".")) -> Package:
    return Package(root=root, descriptor={"name": "p"}, resources=list(resources),
                   source="datapackage.json")


def run(type_id: str, package: Package, context: StepContext | None = None,
        **params: Any) -> StepOutcome:
    cls = steps.get(type_id)
    step = cls(cls.Params.model_validate(params))
    outcome = step.run(package, context or StepContext(secret=KEY))
    outcome.figures  # noqa: B018  every step's stats must read as the audit's typed figures
    return outcome
