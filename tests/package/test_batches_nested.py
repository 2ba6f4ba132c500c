"""Nested and GeoPackage attribute values reach the identifier scan whole (issue 24)."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from publisher.package.batches import iter_batches
from publisher.package.loader import load_package
from publisher.package.model import GeometrySpec, Resource
from publisher.rules._identifiers import IdentifierParams
from publisher.rules.email_in_text import EmailInText


def _resource(values: list[object]) -> Resource:
    frame = gpd.GeoDataFrame({"werte": values},
                             geometry=[shapely.Point(12.38, 51.34)] * len(values),
                             crs="EPSG:4326")
    frame.index = pd.RangeIndex(1, len(values) + 1)
    return Resource(name="r", format="geojson", descriptor={"name": "r"},
                    geometry=GeometrySpec(kind="native"), data=frame)


def test_object_and_array_values_are_scanned_as_json_text() -> None:
    long = np.array(["ok"] * 1200 + ["anna.meier@example.de"] + ["ok"] * 1200)
    values = [{"a": {"b": ["x", "Tel. 0176 47637096"]}}, long, "plain", None]
    (batch,) = iter_batches(_resource(values))
    cells = batch.columns["werte"].to_pylist()
    assert json.loads(cells[0]) == values[0]
    assert "anna.meier@example.de" in cells[1]  # numpy's own text leaves out the middle
    assert cells[2:] == ["plain", None]


def test_geopackage_text_attributes_are_scanned(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"hinweis": ["Rückruf an anna.meier@example.de", "ok"]},
                             geometry=[shapely.Point(12.38, 51.34), shapely.Point(12.37, 51.33)],
                             crs="EPSG:4326")
    frame.to_file(tmp_path / "reports.gpkg", layer="reports", driver="GPKG")
    (tmp_path / "datapackage.json").write_text(json.dumps({
        "name": "g", "resources": [{"name": "reports", "path": "reports.gpkg",
                                    "format": "gpkg"}]}), encoding="utf-8")
    package = load_package(tmp_path / "datapackage.json")
    (finding,) = [f for f in EmailInText(IdentifierParams()).check(package) if f.row]
    assert (finding.field, finding.row) == ("hinweis", 1)
