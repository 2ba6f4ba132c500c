"""CSV: every cell as text, rows numbered as frictionless counts them, ragged
records cut or padded to the header (publisher.package.csvio); latlon / wkt
columns become the geometry."""

from __future__ import annotations

import pandas as pd

from publisher.package.csvio import (
    check_csv_start,
    csv_options,
    read_csv_table,
    read_header,
    sniffed_dialect,
)
from publisher.package.geometry import csv_geometry
from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._tabular import with_geometry
from publisher.package.readers.base import InputFormat, input_formats


@input_formats.register
class Csv(InputFormat):
    type = "csv"
    title = "CSV"
    extensions = ("csv", "tsv")
    published_as = "csv"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        assert resource.path is not None
        # encoding and dialect are checked here, before any validator reads the file
        opts = csv_options(resource.descriptor, resource.name)
        guessed = sniffed_dialect(resource.path, resource.descriptor, resource.name)
        if guessed:
            dialect = resource.descriptor.get("dialect") or {}
            resource.descriptor["dialect"] = {**dialect, **guessed}
            opts = csv_options(resource.descriptor, resource.name)
        check_csv_start(resource.path, opts, resource.name)
        names = resource.field_names or read_header(resource.path, opts, resource.name)
        return csv_geometry(resource.descriptor, names, resource.name)

    def read(self, resource: Resource) -> pd.DataFrame:
        assert resource.path is not None
        opts = csv_options(resource.descriptor, resource.name)
        table = read_csv_table(resource.path, opts, resource.name)
        return with_geometry(table, resource, "the CSV header")
