"""drop-columns: remove columns from the data and from the Table Schema.

A named column found in none of the selected resources is an error: a typo
must never leave personal data in place silently. Dropping a geometry column
(latitude, longitude or WKT) drops the geometry with it, together with the
other coordinate column: a lone coordinate has nothing left to describe and
the resource becomes a plain table.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from publisher.errors import SpecError
from publisher.package.model import Package, Resource
from publisher.steps._derived import (
    column_names,
    drop_geometry,
    keep_columns,
    mark_derived,
    unread_columns,
)
from publisher.steps._stream import settle
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class DropColumnsParams(StepParams):
    columns: list[str] = Field(min_length=1, description="The columns to remove; each must "
                                                       "exist in a selected resource.")


@steps.register
class DropColumns(Step[DropColumnsParams]):
    type = "drop-columns"
    row_wise = True
    example = """\
- type: drop-columns
  resource: reports
  columns: [reporter_name, reporter_email, description]
"""

    def apply(self, package: Package) -> StepOutcome:
        selected = package.select(self.params.resource)
        wanted = list(dict.fromkeys(self.params.columns))
        present = {r.name: [c for c in wanted if c in _columns(r)] for r in selected}
        for column in wanted:
            if not any(column in cols for cols in present.values()):
                names = ", ".join(r.name for r in selected)
                known = sorted(set().union(*(_columns(r) for r in selected)) - {"geometry"})
                raise SpecError(f"drop-columns: column '{column}' is in no selected resource "
                                f"({names})", where=names,
                                hint=f"check the spelling; columns: {', '.join(known)}")
        outcome = StepOutcome(stats={"columns_dropped": {}})
        for resource in selected:
            columns = present[resource.name]
            if not columns:
                continue
            geometry_columns = _geometry_columns(resource)
            if any(c in geometry_columns for c in columns):
                extra = [c for c in geometry_columns if c not in columns and c != "geometry"]
                if extra:
                    outcome.notes.append(f"{resource.name}: also dropped {', '.join(extra)}: "
                                         "its geometry went with the dropped column")
                columns += extra
                settle(self.context, resource)  # queued changes may read the geometry
                drop_geometry(resource)
                outcome.notes.append(f"{resource.name}: no longer spatial")
            _drop(resource, [c for c in columns if c != "geometry"])
            outcome.stats["columns_dropped"][resource.name] = columns
        return outcome


def _columns(resource: Resource) -> set[str]:
    return set(column_names(resource)) | set(resource.field_names) | \
        set(_geometry_columns(resource))


def _geometry_columns(resource: Resource) -> tuple[str, ...]:
    if resource.geometry is None:
        return ()
    # The data's `geometry` column, and the schema columns it was read from (latlon / wkt).
    return (*resource.geometry.columns, "geometry")


def _drop(resource: Resource, columns: list[str]) -> None:
    unread = unread_columns(resource)
    if unread is not None:  # streamed: the columns are never read
        keep_columns(resource, [c for c in unread if c not in columns])
    else:
        table = resource.table()
        resource.data = table.drop(columns=[c for c in columns if c in table.columns])
    schema = resource.schema
    if schema:
        gone = set(columns)
        schema["fields"] = [f for f in schema.get("fields", []) if f.get("name") not in gone]
        if gone & set(_names(schema.get("primaryKey"))):
            del schema["primaryKey"]
        for key in ("foreignKeys", "uniqueKeys"):
            if key in schema:
                kept = [k for k in schema[key] if not gone & set(_key_fields(key, k))]
                if kept:
                    schema[key] = kept
                else:
                    del schema[key]
    mark_derived(resource)


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def _key_fields(kind: str, key: Any) -> list[str]:
    if kind == "foreignKeys":
        return _names(key.get("fields")) if isinstance(key, dict) else []
    return _names(key)
