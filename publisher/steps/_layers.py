"""Reference layers for spatial steps: a resource of the package, or a file
named in the step (relative to the pipeline file, recorded for the audit)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pydantic import BaseModel, ConfigDict, Field, model_validator

from publisher.errors import InputError, SpecError
from publisher.package.model import Package
from publisher.steps.base import StepContext

METRIC_CRS = "EPSG:3035"  # ETRS89-LAEA: metres, true to area across Germany and Austria


class Layer(BaseModel):
    """`resource: bezirke` or `file: reference/bezirke.geojson` (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    resource: str | None = Field(None, description="A resource of the package.")
    file: str | None = Field(None, description="A file readable by GDAL (GeoJSON, GeoPackage, "
                                               "...), relative to the pipeline.")

    @model_validator(mode="after")
    def _one_source(self) -> Layer:
        if (self.resource is None) == (self.file is None):
            raise ValueError("give either `resource` or `file`")
        return self

    @property
    def name(self) -> str:
        return self.resource or self.file or ""


def load_layer(layer: Layer, package: Package, context: StepContext,
               step: str) -> gpd.GeoDataFrame:
    """The layer in the metric CRS, without empty geometries."""
    if layer.resource is not None:
        table = package.resource(layer.resource).table()
        if not isinstance(table, gpd.GeoDataFrame):
            raise SpecError(f"{step}: resource '{layer.resource}' has no geometry",
                            where=layer.resource)
        frame = table
    else:
        assert layer.file is not None
        path = context.file(layer.file)
        if not path.is_file():
            raise SpecError(f"{step}: layer file not found", where=str(path))
        try:
            frame = gpd.read_file(path, engine="pyogrio")
        except Exception:  # pyogrio raises several types; none may leak its text
            raise InputError(f"{step}: the layer file cannot be read", where=str(path)) from None
    if frame.crs is None:
        raise InputError(f"{step}: layer '{layer.name}' has no CRS", where=layer.name)
    geoms = np.asarray(frame.geometry.array, dtype=object)
    frame = frame[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    return frame.to_crs(METRIC_CRS)


def metric_points(frame: gpd.GeoDataFrame, where: str, step: str) -> tuple[np.ndarray,
                                                                            np.ndarray]:
    """Point geometries in the metric CRS (object array) and which records have none."""
    geoms = np.asarray(frame.geometry.array, dtype=object)
    absent = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    kinds = shapely.get_type_id(geoms[~absent])
    if (kinds != 0).any():
        row = frame.index[~absent][kinds != 0][0]
        raise InputError(f"{step} needs point geometries; row {row} holds another kind",
                         where=where)
    if frame.crs is None:
        raise InputError(f"{step}: the geometry has no CRS", where=where)
    projected = np.asarray(frame.geometry.to_crs(METRIC_CRS).array, dtype=object)
    return projected, absent
