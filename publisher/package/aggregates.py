"""Published aggregates (RULES.md section 3): which fields hold counts of records.

A published aggregate is known by one marker, never by a column's name: the
Table Schema field property `"aggregate": "count"` on the field that holds the
count of records (people, reports, cases) behind each row. A package declares
it in its own schema; the steps that make counts (grid-aggregate,
aggregate-areas) set it on the field they write, and suppress-small-cells sets
it on the count it protects. The rules on published tables (min-cell-count,
k-anonymity) and the audit record read it. An hourly `count` of bicycles
passing a counter carries no marker: it is a measurement, not a cell of
people, and min-cell-count leaves it alone.
"""

from __future__ import annotations

from typing import Any

from publisher.package.model import Resource

AGGREGATE = "aggregate"  # the field property
COUNT = "count"  # its value for a count of records


def is_count_field(spec: object) -> bool:
    return isinstance(spec, dict) and spec.get(AGGREGATE) == COUNT


def mark_count(spec: dict[str, Any]) -> dict[str, Any]:
    """The field spec, marked as a published count of records."""
    spec[AGGREGATE] = COUNT
    return spec


def count_fields(resource: Resource) -> list[str]:
    """The resource's fields marked as published counts, that its data still hold."""
    marked = [str(f["name"]) for f in resource.schema.get("fields", [])
              if is_count_field(f) and "name" in f]
    if not marked or resource.data is None:  # unread: the schema describes the file
        return marked
    columns = {str(c) for c in resource.data.columns}  # a step may have dropped some
    return [name for name in marked if name in columns]
