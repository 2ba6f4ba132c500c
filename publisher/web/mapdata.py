"""What the maps draw: GeoJSON FeatureCollections in CRS84 with a style per
feature and the legend's entries, so the page's script only draws.

A collection carries, beside `features`, `bbox` (the outline of the data's
extent, drawn in place of a base map), `legend` ([{label, fill, shape}]),
`total` and `shown` (a map draws at most MAX_FEATURES).

Published geometry comes from the published resource. Raw points and flagged
positions (the console's maps) come from the raw package: they are built only
by the console's routes, which answer `private, no-store` to a logged-in steward.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from publisher.api.catalog import Catalog
from publisher.api.rows import query
from publisher.api.tables import published_resource
from publisher.catalog.store import CatalogEntry
from publisher.package.aggregates import is_count_field

MAX_FEATURES = 5000
BLUES = ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b")
POINT = "#1f6feb"
AREA = "#4292c6"
RAW = "#c2410c"
FLAGGED = "#b91c1c"
T = Callable[..., str]


def _breaks(values: list[float], classes: int = len(BLUES)) -> list[float]:
    """Upper bounds of up to CLASSES classes (quantiles of the distinct values)."""
    distinct = sorted(set(values))
    if len(distinct) <= classes:
        return distinct
    qs = np.quantile(np.asarray(values, dtype=float), np.linspace(0, 1, classes + 1)[1:])
    return sorted({float(q) for q in qs})


def _label(low: float, high: float, t: T) -> str:
    lo, hi = f"{low:g}", f"{high:g}"
    return t("legend.count_one", low=lo) if lo == hi else t("legend.count", low=lo, high=hi)


def _kind(geometry: dict[str, Any] | None) -> str:
    kind = str((geometry or {}).get("type", ""))
    return "point" if "Point" in kind else "line" if "LineString" in kind else "area"


def published(cat: Catalog, entry: CatalogEntry, resource: str, t: T) -> dict[str, Any]:
    """The published geometry of RESOURCE with its attributes; cells and areas
    coloured by their count when a field is marked as a count of records."""
    item = published_resource(entry, resource)
    dataset, table = cat.tables.query_table(entry, resource)
    counts = [(str(f["name"]), str(f.get("title") or f["name"]))
              for f in item.get("schema", {}).get("fields", [])
              if is_count_field(f) and f.get("name") in table.names]
    rows, _ = query(dataset, table, columns=None, bbox=None, filters=[], after=None,
                    limit=MAX_FEATURES) if table.spatial else ([], None)
    features = []
    for row in rows:
        geometry = row.pop("geometry", None)
        if geometry is None:
            continue
        features.append({"type": "Feature", "geometry": geometry, "properties": row})
    # large cells first, so that the small ones are drawn on top of them
    shapes = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    order: list[int] = np.argsort(-shapely.area(shapes), kind="stable").tolist() \
        if features else []
    features = [features[i] for i in order]
    legend: list[dict[str, str]] = []
    value_of, title = counts[0] if counts else (None, "")
    values = [float(f["properties"][value_of]) for f in features
              if value_of and isinstance(f["properties"].get(value_of), int | float)]
    kinds = {_kind(f["geometry"]) for f in features}
    if value_of and values and "point" not in kinds:
        bounds = _breaks(values)
        low = min(values)
        for i, high in enumerate(bounds):
            legend.append({"label": _label(low, high, t), "fill": BLUES[i], "shape": "square"})
            low = high + 1 if float(high).is_integer() else high
        for f in features:
            v = f["properties"].get(value_of)
            at = next((j for j, b in enumerate(bounds)
                       if isinstance(v, int | float) and v <= b), None)
            f["style"] = {"color": "#08306b",
                          "fillColor": BLUES[at] if at is not None else "#ffffff"}
        legend.insert(0, {"label": f"{title}:", "fill": "", "shape": "heading"})
    else:
        for kind in sorted(kinds):
            fill = POINT if kind == "point" else AREA
            legend.append({"label": t(f"legend.{kind}s"), "fill": fill,
                           "shape": "circle" if kind == "point" else "square"})
        for f in features:
            fill = POINT if _kind(f["geometry"]) == "point" else AREA
            f["style"] = {"color": "#0b3d91", "fillColor": fill}
    return _collection(features, table.bbox, legend, table.rows, t)


def points(frame: gpd.GeoDataFrame, rows: Iterable[Any] | None, fill: str, label: str,
           t: T, properties: Callable[[Any], dict[str, Any]] | None = None
           ) -> dict[str, Any]:
    """Positions of FRAME (all, or those at the index labels ROWS) as points in
    CRS84, without any attribute but what PROPERTIES gives for a label."""
    chosen = frame if rows is None else frame.loc[[r for r in rows if r in frame.index]]
    chosen = chosen[chosen.geometry.notna()].head(MAX_FEATURES)
    geo = chosen.geometry
    if geo.crs is not None:
        geo = geo.to_crs(4326)
    centres = shapely.centroid(np.asarray(geo.array, dtype=object))
    texts = shapely.to_geojson(centres)
    features = [{"type": "Feature", "geometry": json.loads(text),
                 "properties": properties(index) if properties else {},
                 "style": {"color": fill, "fillColor": fill}}
                for index, text in zip(chosen.index, texts, strict=True) if text]
    bbox = [float(v) for v in shapely.total_bounds(centres)] if len(centres) else None
    total = len(frame) if rows is None else len(chosen)
    return _collection(features, bbox, [{"label": label, "fill": fill, "shape": "circle"}],
                       total, t)


def _collection(features: list[dict[str, Any]], bbox: list[float] | None,
                legend: list[dict[str, str]], total: int, t: T) -> dict[str, Any]:
    if bbox is not None and not all(np.isfinite(bbox)):
        bbox = None
    if bbox is not None:
        legend = [*legend, {"label": t("legend.extent"), "fill": "", "shape": "outline"}]
    return {"type": "FeatureCollection", "features": features, "bbox": bbox,
            "legend": legend, "total": total, "shown": len(features)}
