"""GeoJSON (RFC 7946): checked by publisher.package.sniff before GDAL opens it
(UTF-8 JSON, no CRS fetched by link, no NUL); read with pyogrio, dates kept as text."""

from __future__ import annotations

import pandas as pd

from publisher.package.geometry import native_geometry, stated_native_crs
from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._ogr import read_vector
from publisher.package.readers.base import InputFormat, input_formats
from publisher.package.sniff import check_geodata


@input_formats.register
class GeoJson(InputFormat):
    type = "geojson"
    title = "GeoJSON"
    extensions = ("geojson",)
    published_as = "geojson"
    native_geometry = True
    record = "feature"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        assert resource.path is not None
        declared = check_geodata(resource.path, "geojson", resource.name)
        spec = native_geometry(resource.path, "geojson", None, resource.name, declared)
        return stated_native_crs(spec, resource.descriptor, "geojson", declared,
                                 resource.path.name, resource.name)

    def read(self, resource: Resource) -> pd.DataFrame:
        assert resource.path is not None
        # GeoJSON dates are text in the file; GDAL would parse them (and move naive
        # times to UTC), so they stay text like CSV cells.
        return read_vector(resource, resource.path, "geojson", DATE_AS_STRING="YES")
