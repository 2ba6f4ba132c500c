"""GeoPackage: one layer per resource (`layer`, else the first); the SQLite
header is checked before GDAL opens the file, and the layer's values before
GDAL reads them (publisher.package.gpkgcheck)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from publisher.package.geometry import gpkg_layer, native_geometry, stated_native_crs
from publisher.package.gpkgcheck import check_gpkg_layer
from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._ogr import layers, read_vector
from publisher.package.readers.base import InputFormat, input_formats
from publisher.package.sniff import check_geodata


@input_formats.register
class GeoPackage(InputFormat):
    type = "gpkg"
    title = "GeoPackage"
    extensions = ("gpkg",)
    aliases = ("geopackage",)
    published_as = "gpkg"
    native_geometry = True
    record = "feature"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        assert resource.path is not None
        check_geodata(resource.path, "gpkg", resource.name)
        layer = gpkg_layer(resource.path, resource.descriptor, resource.name)
        check_gpkg_layer(resource.path, layer, resource.name)
        spec = native_geometry(resource.path, "gpkg", layer, resource.name)
        return stated_native_crs(spec, resource.descriptor, "gpkg", None,
                                 resource.path.name, resource.name)

    def read(self, resource: Resource) -> pd.DataFrame:
        assert resource.path is not None
        layer = gpkg_layer(resource.path, resource.descriptor, resource.name)
        return read_vector(resource, resource.path, "gpkg", layer=layer)

    def parts(self, file: Path) -> list[str]:
        return layers(file)

    def part_descriptor(self, file: Path, part: str) -> dict[str, Any]:
        return {"layer": part}
