"""Input formats: one reader module per format, registered by format name.

CSV, GeoJSON, GeoPackage, Shapefile, FlatGeobuf, GeoParquet, Excel (xlsx) and
OpenDocument (ods) sheets. The loader settles each resource through its format
(`settle`), `Resource.table()` reads through it (`read`), `publisher init`
lists the sheets and layers of a file through it (`parts`), and staging asks
what it is published as (`published`). See base.InputFormat.
"""

from __future__ import annotations

import copy
import dataclasses

import pandas as pd

from publisher.errors import InputError
from publisher.package.model import Package, Resource
from publisher.package.readers._tabular import latlon_geometry, wkt_geometry
from publisher.package.readers.base import (
    InputFormat,
    all_formats,
    format_for_extension,
    format_of,
    input_format,
    input_formats,
    supported,
)

__all__ = ["InputFormat", "all_formats", "format_for_extension", "format_of", "input_format",
           "input_formats", "latlon_geometry", "published", "read_resource", "supported",
           "wkt_geometry"]


def read_resource(resource: Resource) -> pd.DataFrame:
    """The resource's records: index = source row (tables) or feature number."""
    if resource.path is None and resource.dataset is None:
        raise InputError(f"resource '{resource.name}': has no file to read")
    return format_of(resource).read(resource)


def published(package: Package) -> Package:
    """The package with each resource in the format it is published as (a sheet
    as CSV, a Shapefile as GeoPackage ...); the tables are shared, not copied."""
    resources = []
    for resource in package.resources:
        fmt = input_format(resource.format)
        target = fmt.published_as if fmt is not None else resource.format
        if target == resource.format:
            resources.append(resource)
            continue
        resource.table()
        descriptor = copy.deepcopy(resource.descriptor)
        descriptor["format"] = target
        resources.append(dataclasses.replace(resource, format=target, descriptor=descriptor))
    return dataclasses.replace(package, resources=resources)
