"""Shared by steps that change a resource's data or its geometry."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from publisher.errors import SpecError
from publisher.package.model import Package, Resource


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
    table = resource.table()
    missing = [c for c in columns if c not in table.columns]
    if missing:
        known = ", ".join(str(c) for c in table.columns if c != "geometry")
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
        present = [c for c in columns if c in res.table().columns]
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
    table = resource.table()
    dims = dimensions if dimensions is not None else \
        [str(c) for c in table.columns if c not in (count, "geometry")]
    require_columns(resource, dims, step)
    return dims
