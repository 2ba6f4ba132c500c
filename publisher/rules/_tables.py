"""Shared by the rules on published tables (RULES.md section 3)."""

from __future__ import annotations

from publisher.package.model import Resource

# Column names that mark an aggregate table's count (a record is a cell, not a person).
COUNT_FIELDS = ("count", "anzahl", "n", "cases", "faelle", "fallzahl", "haeufigkeit")


def count_field(resource: Resource, names: list[str]) -> str | None:
    """The resource's count column, if it has one of `names` (case-insensitive)."""
    wanted = {n.lower() for n in names}
    columns = resource.field_names or [str(c) for c in resource.table().columns]
    if resource.data is not None:
        columns = [str(c) for c in resource.data.columns]
    return next((c for c in columns if c.lower() in wanted), None)
