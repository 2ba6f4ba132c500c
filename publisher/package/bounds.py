"""Records read within the limits: WKT checked before GEOS parses it, read
geometries checked for their vertices, read attributes (GeoJSON, Shapefile,
FlatGeobuf, GeoParquet) for their sizes.

GEOS parses WKT recursively: a GEOMETRYCOLLECTION nested 100,000 deep takes
the process down with a segmentation fault, which no exception handler can
catch. So the nesting of each WKT text is measured first, on its bytes
(every '(' one level deeper, every ')' one back), and so is its number of
vertices (at most one more than its commas); texts over max_geometry_depth
or max_geometry_vertices are refused, naming the row, before GEOS sees any.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from publisher import limits


def check_wkt(texts: npt.NDArray[np.object_], rows: Sequence[int], resource: str,
              column: str | None, record: str = "row") -> None:
    """LimitError for the first WKT text (None: none) nested deeper or with more
    vertices than the limits allow."""
    found = limits.current()
    array = pa.array(texts, type=pa.string(), from_pandas=True)
    opening = pc.fill_null(pc.count_substring(array, "("), 0).to_numpy(zero_copy_only=False)
    commas = pc.fill_null(pc.count_substring(array, ","), 0).to_numpy(zero_copy_only=False)
    field = f", field {column!r}" if column else ""
    where = f"resource '{resource}', " if resource else ""
    many = np.flatnonzero(commas + 1 > found.max_geometry_vertices)
    deep = np.flatnonzero(opening > found.max_geometry_depth)
    deep = deep[[_depth(str(texts[i])) > found.max_geometry_depth for i in deep]] \
        if len(deep) else deep
    if len(deep) and (not len(many) or deep[0] < many[0]):
        raise limits.exceeded(
            "max_geometry_depth", f"{where}{record} {rows[int(deep[0])]}{field}: "
            "the WKT geometry is nested too deeply (checked before it is parsed)")
    if len(many):
        raise limits.exceeded(
            "max_geometry_vertices", f"{where}{record} {rows[int(many[0])]}"
            f"{field}: the WKT geometry has more vertices than allowed")


def _depth(text: str) -> int:
    """How deeply the parentheses of `text` nest."""
    data = np.frombuffer(text.encode("utf-8", errors="replace"), dtype=np.uint8)
    steps = (data == ord("(")).astype(np.int32) - (data == ord(")")).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def check_vertices(geometries: npt.NDArray[np.object_], rows: Sequence[int], resource: str,
                   record: str = "feature") -> None:
    """LimitError for the first geometry with more vertices than allowed."""
    counts = shapely.get_num_coordinates(geometries)
    over = np.flatnonzero(counts > limits.current().max_geometry_vertices)
    if len(over):
        at = int(over[0])
        raise limits.exceeded(
            "max_geometry_vertices", f"resource '{resource}', {record} {rows[at]}: the "
            f"geometry has {int(counts[at]):,} vertices")


def check_attributes(frame: pd.DataFrame, resource: str, record: str = "feature") -> None:
    """LimitError for too many columns, or the first text or binary value over
    max_cell_bytes or record over max_row_bytes, of a table already read."""
    found = limits.current()
    names = [c for c in frame.columns if c != "geometry"]
    if len(names) > found.max_columns:
        raise limits.exceeded("max_columns", f"resource '{resource}' has {len(names):,} columns")
    total = np.zeros(len(frame), dtype=np.int64)
    for name in names:
        column = frame[name]
        if column.dtype != object and str(column.dtype) not in ("string", "str"):
            continue
        sizes = _sizes(column)
        over = np.flatnonzero(sizes > found.max_cell_bytes)
        if len(over):
            raise limits.exceeded(
                "max_cell_bytes", f"resource '{resource}', {record} {frame.index[over[0]]}, "
                f"field {str(name)[:80]!r}: a value of {int(sizes[over[0]]):,} bytes",
                unit=" bytes")
        total += sizes
    over = np.flatnonzero(total > found.max_row_bytes)
    if len(over):
        raise limits.exceeded(
            "max_row_bytes", f"resource '{resource}', {record} {frame.index[over[0]]}: "
            f"attributes of {int(total[over[0]]):,} bytes together", unit=" bytes")


def _sizes(column: pd.Series) -> npt.NDArray[np.int64]:
    """Bytes of each text (UTF-8) or binary value; 0 for anything else."""
    values = column.to_numpy(dtype=object)
    try:
        array = pa.array(values, from_pandas=True)
    except (pa.ArrowException, TypeError, ValueError):
        array = None
    if array is not None and (pa.types.is_string(array.type) or pa.types.is_binary(array.type)
                              or pa.types.is_large_string(array.type)):
        lengths = pc.fill_null(pc.binary_length(array), 0)
        return np.asarray(lengths.to_numpy(zero_copy_only=False), dtype=np.int64)
    sizes = np.zeros(len(values), dtype=np.int64)
    for kind in (str, bytes):
        chosen = np.flatnonzero([isinstance(v, kind) for v in values])
        if len(chosen):
            array = pa.array(values[chosen], type=pa.string() if kind is str else pa.binary())
            sizes[chosen] = pc.binary_length(array).to_numpy(zero_copy_only=False)
    return sizes
