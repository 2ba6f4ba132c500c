"""The in-memory data package: a Frictionless descriptor plus its resources.

Tables are pandas DataFrames (all CSV and sheet cells as text), or
GeoDataFrames with one `geometry` column and a CRS when the resource is spatial.
A DataFrame's index holds each record's position in the source: the
frictionless row number for CSV (header = row 1, first record = row 2), the
sheet's row number for xlsx and ods, and the 1-based feature number for the
vector formats, so findings can name rows.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from publisher.errors import InputError

if TYPE_CHECKING:
    from publisher.package.readers._parquetset import ParquetSet

GeometryKind = Literal["native", "latlon", "wkt"]


@dataclass(frozen=True)
class GeometrySpec:
    """How a resource carries geometry.

    native: GeoJSON / GeoPackage features. latlon: two numeric CSV columns.
    wkt: one CSV column of WKT text. The columns stay in the Table Schema but
    leave the DataFrame: the `geometry` column is the single source of truth
    and writers derive the columns from it again.
    """

    kind: GeometryKind
    crs: str = "EPSG:4326"
    lat: str | None = None
    lon: str | None = None
    column: str | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        if self.kind == "latlon":
            return tuple(c for c in (self.lat, self.lon) if c)
        if self.kind == "wkt" and self.column:
            return (self.column,)
        return ()


@dataclass(frozen=True)
class Projection:
    """Records not read yet that a step narrowed to some columns: `columns` of the
    CSV `file` (the geometry columns among them when the resource is spatial).
    The data count as derived (the resource's `path` is None) but nothing needs
    reading until a stage asks for the records."""

    file: Path
    columns: tuple[str, ...]
    # the geometry's columns hold the text the writer derives from the shapes (a file a
    # row-wise step wrote, publisher.steps._stream): they can pass through as text
    as_written: bool = False


@dataclass
class Resource:
    name: str
    format: str  # an input format's name (publisher.package.readers): "csv", "xlsx", "shp" ...
    descriptor: dict[str, Any]
    path: Path | None = None  # resolved, inside the package root; None once derived
    geometry: GeometrySpec | None = None
    data: pd.DataFrame | None = None
    projection: Projection | None = None
    # the files of a GeoParquet resource kept in a folder or under an S3 prefix
    # (path: the folder; None for S3); None once a step derived the data
    dataset: ParquetSet | None = None
    # column views read without the whole table (geometry checks, audit), by columns
    views: dict[tuple[str, ...], pd.DataFrame] = field(default_factory=dict, repr=False,
                                                       compare=False)

    @property
    def schema(self) -> dict[str, Any]:
        schema = self.descriptor.get("schema")
        return schema if isinstance(schema, dict) else {}

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.schema.get("fields", []) if "name" in f]

    @property
    def is_spatial(self) -> bool:
        return self.geometry is not None

    def table(self) -> pd.DataFrame:
        """The resource's records, read on first use."""
        if self.data is None:
            if self.projection is not None:
                from publisher.package.batches import read_projection

                self.data = read_projection(self)
            else:
                from publisher.package.readers import read_resource

                self.data = read_resource(self)
            self.projection = None
            self.views.clear()
        return self.data

    def view(self, columns: tuple[str, ...] = ()) -> pd.DataFrame:
        """These columns and the geometry, without reading the whole table when it is
        not in memory yet (a CSV file is read column by column and the view kept);
        with the table in memory, the table itself."""
        if self.data is not None:
            return self.data
        if self.format != "csv" or (self.path is None and self.projection is None):
            return self.table()
        if columns not in self.views:
            from publisher.package.batches import read_columns

            self.views[columns] = read_columns(self, columns)
        return self.views[columns]

    def copy(self) -> Resource:
        return Resource(
            name=self.name,
            format=self.format,
            descriptor=copy.deepcopy(self.descriptor),
            path=self.path,
            geometry=self.geometry,
            data=None if self.data is None else self.data.copy(),
            projection=self.projection,
            dataset=self.dataset,
        )


@dataclass
class Package:
    root: Path
    descriptor: dict[str, Any]
    resources: list[Resource] = field(default_factory=list)
    source: str = ""
    # the pipeline's `dataset:` block when a run checks the package: the texts the
    # publication will carry, checked like the descriptor's (identifiers-in-metadata)
    dataset: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name") or Path(self.source).stem or "package")

    @property
    def licenses(self) -> list[dict[str, Any]]:
        licenses = self.descriptor.get("licenses")
        return list(licenses) if isinstance(licenses, list) else []

    def resource(self, name: str) -> Resource:
        for resource in self.resources:
            if resource.name == name:
                return resource
        known = ", ".join(r.name for r in self.resources) or "none"
        raise InputError(f"no resource named '{name}' (resources: {known})", where=self.source)

    def select(self, name: str | None) -> list[Resource]:
        """One named resource, or all of them when name is None."""
        return list(self.resources) if name is None else [self.resource(name)]

    def copy(self) -> Package:
        """A deep copy whose tables can be changed without touching this one (a table
        not read yet is read by each copy from its file when needed)."""
        return Package(
            root=self.root,
            descriptor=copy.deepcopy(self.descriptor),
            resources=[r.copy() for r in self.resources],
            source=self.source,
            dataset=copy.deepcopy(self.dataset),
        )
