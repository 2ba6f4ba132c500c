"""Shared by steps that change a resource's data or its geometry."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd

from publisher.errors import SpecError
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Package, Projection, Resource


def mark_derived(resource: Resource) -> None:
    """The data no longer match the source file: forget the file and its checksums,
    so nothing downstream copies the original (with what a step removed)."""
    resource.path = None
    resource.dataset = None
    for key in ("hash", "bytes"):
        resource.descriptor.pop(key, None)


def unread_columns(resource: Resource) -> list[str] | None:
    """The columns of a CSV resource whose records are not in memory (the geometry
    columns among them), in file order; None when the records are in memory or
    cannot be read column by column."""
    if resource.data is not None or resource.format != "csv":
        return None
    if resource.projection is not None:
        return list(resource.projection.columns)
    if resource.path is None:
        return None
    return read_header(resource.path, csv_options(resource.descriptor, resource.name),
                       resource.name)


def keep_columns(resource: Resource, columns: list[str]) -> None:
    """Narrow a resource whose records are not in memory to some of its columns,
    reading nothing (model.Projection)."""
    if resource.projection is not None:
        resource.projection = dataclasses.replace(resource.projection, columns=tuple(columns))
    else:
        assert resource.path is not None and resource.data is None
        resource.projection = Projection(resource.path, tuple(columns))
    resource.views.clear()


def column_names(resource: Resource) -> list[str]:
    """The data's column names ('geometry' for the geometry), reading no records
    when they are not in memory."""
    unread = unread_columns(resource)
    if unread is None and resource.data is None and resource.dataset is not None:
        from publisher.package.readers._parquetset import text_columns

        named = text_columns(resource.dataset)  # a GeoParquet folder or prefix: its footers
        if named is not None:
            return [*named, "geometry"]
    if unread is None:
        return [str(c) for c in resource.table().columns]
    geometry = resource.geometry.columns if resource.geometry else ()
    return [c for c in unread if c not in geometry] + (["geometry"] if geometry else [])


def drop_geometry(resource: Resource, replaced: bool = False) -> None:
    """Make a spatial resource a plain table: no geometry column, no geometry spec.
    `replaced`: the caller puts other records in its place (a GeoParquet folder's
    are then not read)."""
    unread = unread_columns(resource)
    if unread is not None:  # the geometry's columns stay plain columns for now
        keep_columns(resource, unread)
    elif replaced and resource.data is None and resource.dataset is not None:
        pass
    else:
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


def retype_field(resource: Resource, name: str, kind: str, note: str) -> None:
    """A column now holds generalised or derived text: give its schema field the new
    type, drop constraints and formats that described the old values, say why."""
    for spec in resource.schema.get("fields", []):
        if spec.get("name") != name:
            continue
        spec["type"] = kind
        spec.pop("format", None)
        constraints = spec.get("constraints")
        if isinstance(constraints, dict):
            kept = {k: v for k, v in constraints.items() if k == "required"}
            if kept:
                spec["constraints"] = kept
            else:
                spec.pop("constraints", None)
        description = str(spec.get("description", "")).strip()
        spec["description"] = f"{description} ({note})" if description else note
    mark_derived(resource)


def require_columns(resource: Resource, columns: list[str], step: str) -> None:
    """Every named column must be in the resource's data: a typo must never leave
    a value in place silently."""
    names = column_names(resource)
    missing = [c for c in columns if c not in names]
    if missing:
        known = ", ".join(c for c in names if c != "geometry")
        raise SpecError(f"{step}: column(s) {', '.join(missing)} not in resource "
                        f"'{resource.name}'", where=resource.name, hint=f"columns: {known}")


def columns_by_resource(package: Package, resource: str | None, columns: list[str],
                        step: str) -> list[tuple[Resource, list[str]]]:
    """The selected resources holding any of the columns, with those columns. A column
    found in no selected resource is an error."""
    selected = package.select(resource)
    out = []
    found: set[str] = set()
    for res in selected:
        present = [c for c in columns if c in column_names(res)]
        found.update(present)
        if present:
            out.append((res, present))
    missing = [c for c in columns if c not in found]
    if missing:
        names = ", ".join(r.name for r in selected)
        raise SpecError(f"{step}: column(s) {', '.join(missing)} in no selected resource "
                        f"({names})", where=names, hint="check the spelling")
    return out


def dimension_columns(resource: Resource, count: str, dimensions: list[str] | None,
                      step: str) -> list[str]:
    """The columns that identify a cell of a count table: the ones named, else
    every column but the count and the geometry; all must exist."""
    dims = dimensions if dimensions is not None else \
        [c for c in column_names(resource) if c not in (count, "geometry")]
    require_columns(resource, dims, step)
    return dims
