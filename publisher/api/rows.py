"""Row queries over a resource's query file (pyarrow dataset scans).

Filters are `field:op:value` with op one of eq, ne, lt, le, gt, ge, in
(values separated by `|`) and contains; values are cast to the column's type.
Paging is keyset on the source row number, so pages never drift while other
readers page too, and a cursor stays valid for the version it was made on.
"""

from __future__ import annotations

import json
from typing import Any

import geopandas as gpd
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import shapely

from publisher.api.errors import ApiError
from publisher.api.tables import QueryTable

MAX_PAGE = 1000
OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "contains")


def _value(text: str, kind: pa.DataType, where: str) -> pa.Scalar:
    try:
        return pa.scalar(text, pa.string()).cast(kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        raise ApiError(400, "bad-filter", f"the value of filter '{where}' does not fit the "
                       f"column's type {kind}", where="filter") from None


def filter_expression(filters: list[str], schema: pa.Schema,
                      columns: list[str]) -> ds.Expression | None:
    expr: ds.Expression | None = None
    for text in filters:
        name, _, rest = text.partition(":")
        op, _, raw = rest.partition(":")
        if name not in columns or name == "geometry":
            raise ApiError(400, "bad-filter", f"filter names an unknown column '{name}'",
                           where="filter", hint=f"columns: {', '.join(columns)}")
        if op not in OPS:
            raise ApiError(400, "bad-filter", f"filter on '{name}' has an unknown operator",
                           where="filter", hint=f"operators: {', '.join(OPS)}")
        kind = schema.field(name).type
        field = pc.field(name)
        if op == "in":
            values = pa.array([_value(v, kind, name).as_py() for v in raw.split("|")], kind)
            part = field.isin(values)
        elif op == "contains":
            if not pa.types.is_string(kind) and not pa.types.is_large_string(kind):
                raise ApiError(400, "bad-filter", f"contains needs a text column, '{name}' "
                               f"is {kind}", where="filter")
            part = pc.match_substring(field, raw)
        else:
            value = _value(raw, kind, name)
            part = {"eq": field == value, "ne": field != value, "lt": field < value,
                    "le": field <= value, "gt": field > value, "ge": field >= value}[op]
        expr = part if expr is None else expr & part
    return expr


def query(dataset: ds.Dataset, table: QueryTable, *, columns: list[str] | None,
          bbox: tuple[float, float, float, float] | None, filters: list[str],
          after: int | None, limit: int) -> tuple[list[dict[str, Any]], int | None]:
    """One page of rows and the row number to continue after (None at the end)."""
    names = table.names
    wanted = columns or names
    unknown = [c for c in wanted if c not in names]
    if unknown:
        raise ApiError(400, "bad-columns", f"unknown column(s): {', '.join(unknown)}",
                       where="columns", hint=f"columns: {', '.join(names)}")
    expr = filter_expression(filters, dataset.schema, names)
    if bbox is not None:
        if not table.spatial:
            raise ApiError(400, "no-geometry", "this resource has no geometry to filter by bbox",
                           where="bbox")
        minx, miny, maxx, maxy = bbox
        box = ((pc.field("_xmax") >= minx) & (pc.field("_xmin") <= maxx)
               & (pc.field("_ymax") >= miny) & (pc.field("_ymin") <= maxy))
        expr = box if expr is None else expr & box
    if after is not None:
        cursor = pc.field("_row") > after
        expr = cursor if expr is None else expr & cursor
    result = dataset.to_table(columns=[*wanted, "_row"], filter=expr)
    if result.num_rows > limit:
        top = pc.select_k_unstable(result, limit + 1, [("_row", "ascending")])
        result = result.take(top)
    result = result.sort_by("_row")
    more = result.num_rows > limit
    page = result.slice(0, limit)
    last = int(page.column("_row")[-1].as_py()) if more and page.num_rows else None
    return _records(page.drop_columns(["_row"]), table.crs), last


def _records(page: pa.Table, crs: str | None) -> list[dict[str, Any]]:
    geometry: list[Any] | None = None
    if "geometry" in page.column_names:
        wkb = np.asarray(page.column("geometry").to_pylist(), dtype=object)
        shapes = gpd.GeoSeries(shapely.from_wkb(wkb), crs=crs).to_crs(4326)
        texts = shapely.to_geojson(np.asarray(shapes.array, dtype=object))
        geometry = [json.loads(t) if t is not None else None for t in texts]
        page = page.drop_columns(["geometry"])
    for i, field in enumerate(page.schema):
        if pa.types.is_floating(field.type):
            column = page.column(i)
            page = page.set_column(i, field, pc.if_else(pc.is_nan(column), None, column))
    rows: list[dict[str, Any]] = page.to_pylist()
    if geometry is not None:
        for row, geom in zip(rows, geometry, strict=True):
            row["geometry"] = geom
    return rows
