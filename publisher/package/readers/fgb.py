"""FlatGeobuf: one layer per file, read with pyogrio; the file header is
checked before GDAL opens it. Published as GeoPackage."""

from __future__ import annotations

import pandas as pd

from publisher.errors import InputError
from publisher.package.geometry import native_geometry, stated_native_crs
from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._ogr import read_vector
from publisher.package.readers.base import InputFormat, input_formats


@input_formats.register
class FlatGeobuf(InputFormat):
    type = "fgb"
    title = "FlatGeobuf"
    extensions = ("fgb",)
    aliases = ("flatgeobuf",)
    published_as = "gpkg"
    native_geometry = True
    record = "feature"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        assert resource.path is not None
        with open(resource.path, "rb") as fh:
            head = fh.read(8)
        if head[:3] != b"fgb" or head[4:7] != b"fgb":
            raise InputError(f"resource '{resource.name}': the file is not FlatGeobuf "
                             "(it lacks the FlatGeobuf header)")
        spec = native_geometry(resource.path, "fgb", None, resource.name)
        return stated_native_crs(spec, resource.descriptor, "fgb", None,
                                 resource.path.name, resource.name)

    def read(self, resource: Resource) -> pd.DataFrame:
        assert resource.path is not None
        return read_vector(resource, resource.path, "FlatGeobuf")
