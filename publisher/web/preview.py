"""The table preview of a dataset page: one page of a published resource's rows,
in source order, read from the query file the row API uses."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from publisher.api.catalog import Catalog
from publisher.catalog.store import CatalogEntry

PAGE_ROWS = 20
GEOMETRY = "geometry"


@dataclass(frozen=True)
class Preview:
    resource: str
    columns: list[str]
    rows: list[list[str]]
    page: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_ROWS + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.page * PAGE_ROWS, self.total)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:g}"
    return str(value)


def preview(cat: Catalog, entry: CatalogEntry, resource: str, page: int) -> Preview:
    """Page PAGE (from 1; past the end: the last page) of RESOURCE."""
    dataset, table = cat.tables.query_table(entry, resource)
    pages = max(1, math.ceil(table.rows / PAGE_ROWS))
    page = min(max(page, 1), pages)
    names = table.names
    # the whole _row column, then only the page's rows of every other column
    order = dataset.to_table(columns=["_row"]).column("_row")
    wanted = pc.sort_indices(order)[(page - 1) * PAGE_ROWS: page * PAGE_ROWS]
    part = dataset.to_table(columns=names).take(wanted) if table.rows else None
    rows: list[list[str]] = []
    if part is not None:
        columns: list[list[str]] = []
        for name in names:
            column = part.column(name)
            if name == GEOMETRY and pa.types.is_binary(column.type):
                shapes = shapely.from_wkb(np.asarray(column.to_pylist(), dtype=object))
                columns.append([g.geom_type if g is not None else "" for g in shapes])
            else:
                columns.append([_text(v) for v in column.to_pylist()])
        rows = [list(r) for r in zip(*columns, strict=True)]
    return Preview(resource=resource, columns=names, rows=rows, page=page, pages=pages,
                   total=table.rows)
