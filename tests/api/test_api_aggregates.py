"""The demo's grid aggregate is spatial through the API (issue 17): GeoJSON and
GeoParquet downloads of its cell polygons, bbox search and row queries, and a DCAT
spatial extent that is the cells' extent. The feed describes what was published,
not the raw package."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rdflib
import shapely
from fastapi.testclient import TestClient
from pyproj import Transformer
from rdflib.namespace import DCAT, DCTERMS

from publisher.api.app import create_app
from publisher.pipeline.run import Status, run_pipeline
from tests.api.conftest import BASE, settings_for

ROOT = Path(__file__).resolve().parents[2]
NAME = "maengelmelder-musterstadt-raster"
RASTER = f"/datasets/{NAME}/resources/reports"
CELL = re.compile(r"^CRS3035RES(\d+)mN(\d+)E(\d+)$")
TO_GRID = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)


def _download(client: TestClient, fmt: str) -> bytes:
    response = client.get(f"{RASTER}/download", params={"format": fmt})
    assert response.status_code == 200, response.text
    return response.content


def test_the_grid_downloads_as_geojson_polygons_of_its_cells(client: TestClient) -> None:
    table = pd.read_csv(io.BytesIO(_download(client, "original")))
    cells = gpd.read_file(io.BytesIO(_download(client, "geojson")))
    assert cells.crs.to_epsg() == 4326 and len(cells) == len(table) > 50
    assert set(cells.geom_type) == {"Polygon"}
    assert cells["cell_id"].tolist() == table["cell_id"].tolist()
    for cell, size, shape in zip(cells["cell_id"], cells["resolution_m"], cells.geometry,
                                 strict=True):
        res, north, east = (int(v) for v in CELL.match(cell).groups())
        assert res == size
        x, y = TO_GRID.transform(*np.asarray(shape.exterior.coords).T)
        assert np.allclose([x.min(), y.min(), x.max(), y.max()],
                           [east, north, east + size, north + size], atol=0.05)
    geo = gpd.read_parquet(io.BytesIO(_download(client, "geoparquet")))
    assert set(geo.geom_type) == {"Polygon"} and len(geo) == len(cells)


def test_a_bbox_search_and_a_bbox_row_query_find_the_grid(client: TestClient,
                                                          api_home: Path) -> None:
    cells = gpd.read_file(io.BytesIO(_download(client, "geojson")))
    west, south, east, north = cells.geometry.iloc[0].bounds
    inside = f"{west + 1e-4},{south + 1e-4},{east - 1e-4},{north - 1e-4}"
    found = client.get("/datasets", params={"bbox": inside}).json()["datasets"]
    assert NAME in [d["name"] for d in found]
    far = client.get("/datasets", params={"bbox": "9.0,48.0,9.5,48.5"}).json()["datasets"]
    assert NAME not in [d["name"] for d in far]
    # the search read the extents from the descriptors: no query file was built for it
    assert not list((api_home / "catalog" / "cache").rglob("*.query.parquet"))
    rows = client.get(f"{RASTER}/rows", params={"bbox": inside}).json()["rows"]
    assert cells["cell_id"].iloc[0] in [r["cell_id"] for r in rows]
    assert all(r["geometry"]["type"] == "Polygon" for r in rows)
    assert list((api_home / "catalog" / "cache").rglob("*.query.parquet"))  # rows need one


def test_the_dcat_spatial_extent_is_the_cells_extent(client: TestClient) -> None:
    cells = gpd.read_file(io.BytesIO(_download(client, "geojson")))
    response = client.get(f"/datasets/{NAME}/dcat.ttl")
    assert response.status_code == 200, response.text
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    dataset = rdflib.URIRef(f"{BASE}/dataset/{NAME}")
    boxes = [box for place in graph.objects(dataset, DCTERMS.spatial)
             for box in graph.objects(place, DCAT.bbox)]
    assert len(boxes) == 1
    extent = shapely.from_wkt(str(boxes[0])).bounds
    # the writer rounds outwards to 7 decimal places
    assert np.allclose(extent, cells.total_bounds, atol=2e-7)
    assert all(e <= c for e, c in zip(extent[:2], cells.total_bounds[:2], strict=True))
    assert all(e >= c for e, c in zip(extent[2:], cells.total_bounds[2:], strict=True))
    detail = client.get(f"/datasets/{NAME}").json()
    assert np.allclose(detail["bbox"], cells.total_bounds, atol=2e-7)


def test_the_feed_and_the_descriptor_say_what_was_published(client: TestClient) -> None:
    raw = json.loads((ROOT / "pipelines/samples/defect-reports/datapackage.json").read_text())
    turtle = client.get("/catalog.ttl").text
    served = client.get(f"/datasets/{NAME}/datapackage.json").text
    detail = client.get(f"/datasets/{NAME}").text
    for text in (turtle, served, detail):
        assert raw["description"] not in text
        assert raw["resources"][0]["title"] not in text  # "Mängelmeldungen 2024"
    assert "Mängelmeldungen je Rasterzelle" in turtle  # the distribution's title
    assert json.loads(served)["title"] == "Mängelmeldungen Musterstadt je 100-m-Rasterzelle"


def test_a_table_without_geometry_still_has_no_geojson(api_home: Path, tmp_path: Path) -> None:
    package = tmp_path / "plain"
    package.mkdir()
    (package / "counts.csv").write_text("bezirk,anzahl\nNord,12\nSüd,30\n", encoding="utf-8")
    (package / "datapackage.json").write_text(json.dumps({
        "name": "plain", "licenses": [{"name": "CC0-1.0"}],
        "resources": [{"name": "counts", "path": "counts.csv", "schema": {"fields": [
            {"name": "bezirk", "type": "string"}, {"name": "anzahl", "type": "integer"}]}}]}))
    pipeline = tmp_path / "plain.yaml"
    pipeline.write_text(
        f"name: plain\nsource: {package}\npolicy: de-open-data\nsteps: []\n"
        "target: {type: local}\ndataset: {name: plain, title: Plain, description: Counts, "
        "publisher: Stadt Musterstadt, license: cc-zero}\n", encoding="utf-8")
    result = run_pipeline(pipeline, settings_for(api_home))
    assert result.status is Status.PUBLISHED, result.message
    with TestClient(create_app(settings_for(api_home)), base_url=BASE) as client:
        url = "/datasets/plain/resources/counts"
        for response in (client.get(f"{url}/download", params={"format": "geojson"}),
                         client.get(f"{url}/rows", params={"bbox": "0,0,1,1"})):
            assert response.status_code == 400
            assert response.json()["error"]["type"] == "no-geometry"
        assert client.get("/datasets/plain").json()["bbox"] is None


@pytest.mark.parametrize("fmt", ["rdf", "jsonld"])
def test_the_extent_is_in_every_rdf_form(client: TestClient, fmt: str) -> None:
    response = client.get(f"/datasets/{NAME}/dcat.{fmt}")
    assert response.status_code == 200
    assert "POLYGON((" in response.text
