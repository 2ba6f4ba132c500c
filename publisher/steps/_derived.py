"""Shared by steps that change a resource's data or its geometry."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from publisher.package.model import Resource


def mark_derived(resource: Resource) -> None:
    """The data no longer match the source file: forget the file and its checksums,
    so nothing downstream copies the original (with what a step removed)."""
    resource.path = None
    for key in ("hash", "bytes"):
        resource.descriptor.pop(key, None)


def drop_geometry(resource: Resource) -> None:
    """Make a spatial resource a plain table: no geometry column, no geometry spec."""
    table = resource.table()
    name = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else "geometry"
    resource.data = pd.DataFrame(table.drop(columns=[name], errors="ignore"))
    resource.geometry = None
    resource.descriptor.pop("geometry", None)
    # A GeoJSON / GeoPackage without geometry is written as CSV.
    resource.format = "csv"
    resource.descriptor["format"] = "csv"
    resource.descriptor["mediatype"] = "text/csv"
    mark_derived(resource)
