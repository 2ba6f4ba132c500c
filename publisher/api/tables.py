"""Published resources as Parquet: the query file behind row queries, and the
converted downloads (CSV, GeoJSON, Parquet, GeoParquet).

Conversion is lazy, with a cache under <catalog>/cache/<dataset>/v<N>/.
Published versions never change, so a cached file stays valid as long as its
version exists; publishing stays as fast as it was and does not depend on the
API; catalogues written before the API need no migration; and resources nobody
queries cost nothing. The first request for a resource pays the conversion once.

The query file holds every column typed from the Table Schema, `_row` (the
source row number), the geometry as WKB and its bounds in CRS84 as
`_xmin/_ymin/_xmax/_ymax`. Rows are sorted along a Z-order curve and written in
row groups of 16k, so a bounding-box filter skips most row groups by their
statistics.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import shapely

from publisher.api.errors import ApiError
from publisher.catalog.records import descriptor
from publisher.catalog.store import CatalogEntry
from publisher.package.formats import csv_frame, ordered_columns, write_csv, write_geojson
from publisher.package.loader import load_package
from publisher.package.model import Resource

ROW_GROUP = 16_384
INTERNAL = ("_row", "_xmin", "_ymin", "_xmax", "_ymax")
DOWNLOAD_FORMATS = ("original", "csv", "geojson", "parquet", "geoparquet")
MEDIA = {"csv": "text/csv", "geojson": "application/geo+json",
         "parquet": "application/vnd.apache.parquet",
         "geoparquet": "application/vnd.apache.parquet", "gpkg": "application/geopackage+sqlite3"}
EXT = {"csv": "csv", "geojson": "geojson", "parquet": "parquet", "geoparquet": "geo.parquet"}


@dataclass(frozen=True)
class QueryTable:
    path: Path
    columns: list[dict[str, str]]  # public columns: name and Arrow type
    spatial: bool
    crs: str | None
    bbox: list[float] | None  # CRS84
    rows: int

    @property
    def names(self) -> list[str]:
        return [c["name"] for c in self.columns]


def published_resource(entry: CatalogEntry, name: str) -> dict[str, Any]:
    """The resource descriptor NAME of a published version; 404 if unknown."""
    for item in descriptor(entry).get("resources", []):
        if isinstance(item, dict) and item.get("name") == name:
            return item
    raise ApiError(404, "not-found", f"dataset '{entry.name}' has no resource '{name}'")


class TableCache:
    def __init__(self, root: Path):
        self.root = root
        self._locks: dict[Path, threading.Lock] = {}
        self._guard = threading.Lock()
        self._datasets: dict[Path, tuple[ds.Dataset, QueryTable]] = {}

    def _lock(self, key: Path) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def _dir(self, entry: CatalogEntry) -> Path:
        return self.root / entry.name / f"v{entry.version}"

    def _resource(self, entry: CatalogEntry, name: str) -> Resource:
        published_resource(entry, name)
        try:
            return load_package(entry.version_dir).resource(name)
        except Exception as exc:
            raise ApiError(500, "unreadable", f"resource '{name}' of dataset '{entry.name}' "
                           f"cannot be read ({type(exc).__name__})") from None

    def query_table(self, entry: CatalogEntry, name: str) -> tuple[ds.Dataset, QueryTable]:
        path = self._dir(entry) / f"{name}.query.parquet"
        cached = self._datasets.get(path)
        if cached is not None:
            return cached
        with self._lock(path):
            meta_path = path.with_suffix(".json")
            if not meta_path.is_file():
                _write_query_file(self._resource(entry, name), path, meta_path)
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            table = QueryTable(path=path, columns=meta["columns"], spatial=meta["spatial"],
                               crs=meta["crs"], bbox=meta["bbox"], rows=meta["rows"])
            dataset = ds.dataset(path, format="parquet")
            self._datasets[path] = (dataset, table)
            return dataset, table

    def download(self, entry: CatalogEntry, name: str, fmt: str) -> tuple[Path, str]:
        """A file of resource NAME in FMT, and its media type."""
        item = published_resource(entry, name)
        own = str(item.get("format", ""))
        if fmt == "original" or fmt == own:
            return entry.version_dir / str(item["path"]), MEDIA.get(own, "application/octet-stream")
        path = self._dir(entry) / f"{name}.{EXT[fmt]}"
        with self._lock(path):
            if not path.is_file():
                _convert(self._resource(entry, name), fmt, path)
        return path, MEDIA[fmt]


def typed_frame(resource: Resource) -> pd.DataFrame:
    """The resource's table with CSV text typed from its Table Schema."""
    frame = resource.table().copy()
    for field in resource.schema.get("fields", []):
        name, kind = field.get("name"), field.get("type", "string")
        if name not in frame.columns or not pd.api.types.is_string_dtype(frame[name].dtype):
            continue
        text = frame[name].where(frame[name] != "")
        if kind in ("integer", "year"):
            frame[name] = pd.to_numeric(text, errors="coerce").astype("Int64")
        elif kind == "number":
            frame[name] = pd.to_numeric(text, errors="coerce").astype("float64")
        elif kind == "boolean":
            true = set(field.get("trueValues", ["true", "True", "TRUE", "1"]))
            frame[name] = text.isin(true).astype("boolean").where(text.notna())
        elif kind == "date":
            frame[name] = pd.to_datetime(text, errors="coerce", format="%Y-%m-%d").dt.date
        elif kind == "datetime":
            frame[name] = pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601")
    return frame


def _geo(frame: pd.DataFrame) -> gpd.GeoDataFrame | None:
    if isinstance(frame, gpd.GeoDataFrame) and frame.active_geometry_name is not None:
        return frame
    return None


def _crs_text(gdf: gpd.GeoDataFrame) -> str:
    if gdf.crs is None:
        return "EPSG:4326"
    auth = gdf.crs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else str(gdf.crs.to_wkt())


def _zorder(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Z-order (Morton) keys of points, 16 bits per axis, vectorised."""
    def spread(v: np.ndarray) -> np.ndarray:
        v = v.astype(np.uint64)
        for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
            v = (v | (v << np.uint64(shift))) & np.uint64(mask)
        return v

    def scale(v: np.ndarray) -> np.ndarray:
        ok = np.isfinite(v)
        lo = float(v[ok].min()) if ok.any() else 0.0
        hi = float(v[ok].max()) if ok.any() else 0.0
        span = hi - lo if hi > lo else 1.0
        scaled: np.ndarray = ((np.where(ok, v, lo) - lo) / span * 65535).astype(np.uint64)
        return scaled

    keys: np.ndarray = spread(scale(x)) | (spread(scale(y)) << np.uint64(1))
    return keys


def _write_query_file(resource: Resource, path: Path, meta_path: Path) -> None:
    frame = typed_frame(resource)
    gdf = _geo(frame)
    attrs = pd.DataFrame(frame.drop(columns=[gdf.geometry.name]) if gdf is not None else frame)
    attrs = attrs[ordered_columns(attrs, resource.field_names)]
    table = pa.Table.from_pandas(attrs, preserve_index=False)
    table = table.append_column("_row", pa.array(frame.index.to_numpy(), pa.int64()))
    crs: str | None = None
    bbox: list[float] | None = None
    order = np.arange(len(frame))
    if gdf is not None:
        crs = _crs_text(gdf)
        shapes = np.asarray(gdf.geometry.array, dtype=object)
        table = table.append_column("geometry", pa.array(shapely.to_wkb(shapes), pa.binary()))
        bounds = gdf.geometry.set_crs(crs, allow_override=True).to_crs(4326).bounds.to_numpy()
        for i, col in enumerate(("_xmin", "_ymin", "_xmax", "_ymax")):
            table = table.append_column(col, pa.array(bounds[:, i], pa.float64()))
        if len(bounds) and np.isfinite(bounds).any():
            bbox = [float(np.nanmin(bounds[:, 0])), float(np.nanmin(bounds[:, 1])),
                    float(np.nanmax(bounds[:, 2])), float(np.nanmax(bounds[:, 3]))]
        order = np.argsort(_zorder((bounds[:, 0] + bounds[:, 2]) / 2,
                                   (bounds[:, 1] + bounds[:, 3]) / 2), kind="stable")
    table = table.take(pa.array(order))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, row_group_size=ROW_GROUP)
    os.replace(tmp, path)
    columns = [{"name": f.name, "type": str(f.type)} for f in table.schema
               if f.name not in INTERNAL]
    meta = {"columns": columns, "spatial": gdf is not None, "crs": crs, "bbox": bbox,
            "rows": table.num_rows}
    meta_path.write_text(json.dumps(meta), encoding="utf-8")


def _convert(resource: Resource, fmt: str, path: Path) -> None:
    frame = typed_frame(resource)
    gdf = _geo(frame)
    if fmt in ("geojson", "geoparquet") and gdf is None:
        raise ApiError(400, "no-geometry",
                       f"resource '{resource.name}' has no geometry; {fmt} is not available",
                       hint="ask for csv or parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    order = resource.field_names
    if fmt == "csv":
        plain, _ = csv_frame(resource, resource.table())
        write_csv(plain, ordered_columns(plain, order), tmp)
    elif fmt == "geojson":
        assert gdf is not None
        skip = (gdf.geometry.name,)
        write_geojson(resource, gdf, ordered_columns(gdf, order, skip=skip), tmp)
    elif fmt == "geoparquet":
        assert gdf is not None
        cols = ordered_columns(gdf, order, skip=(gdf.geometry.name,))
        gdf[[*cols, gdf.geometry.name]].to_parquet(tmp, index=False)
    else:  # parquet: geometry, if any, as WKT text in its own CRS
        plain = pd.DataFrame(frame.drop(columns=[gdf.geometry.name])) if gdf is not None \
            else pd.DataFrame(frame)
        plain = plain[ordered_columns(plain, order)]
        if gdf is not None:
            plain["geometry"] = shapely.to_wkt(np.asarray(gdf.geometry.array, dtype=object))
        plain.to_parquet(tmp, index=False)
    os.replace(tmp, path)
