from __future__ import annotations

import io
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow.parquet as pq
import shapely
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
TREES = "/datasets/baumkataster-musterstadt/resources/trees"
POINTS = "/datasets/ladesaeulen-musterstadt/resources/charging-points"


def _all_rows(client: TestClient, url: str, **params: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    next_url: str | None = url
    query: dict[str, str] | None = params
    while next_url:
        body = client.get(next_url, params=query).json()
        rows += body["rows"]
        next_url, query = body["next"], None
    return rows


def test_cursor_paging_returns_every_row_once_in_source_order(client: TestClient) -> None:
    rows = _all_rows(client, f"{TREES}/rows", limit="7", columns="tree_id")
    source = gpd.read_file(ROOT / "pipelines/samples/tree-cadastre/trees.geojson")
    assert [r["tree_id"] for r in rows] == list(source["tree_id"])


def test_bbox_filter_matches_a_geometric_selection(client: TestClient) -> None:
    source = gpd.read_file(ROOT / "pipelines/samples/tree-cadastre/trees.geojson").to_crs(4326)
    west, south, east, north = source.total_bounds
    box = (west, south, (west + east) / 2, (south + north) / 2)
    expected = source[source.intersects(shapely.box(*box))]["tree_id"].tolist()
    assert 0 < len(expected) < len(source)
    rows = _all_rows(client, f"{TREES}/rows", bbox=",".join(map(str, box)), limit="50")
    assert [r["tree_id"] for r in rows] == expected
    geometry = rows[0]["geometry"]
    assert isinstance(geometry, dict) and geometry["type"] == "Point"


def test_filters_are_typed_and_combined(client: TestClient) -> None:
    source = pd.read_csv(ROOT / "pipelines/samples/charging-points/charging-points.csv")
    rows = _all_rows(client, f"{POINTS}/rows", filter="power_kw:ge:50", limit="1000")
    assert len(rows) == int((source["power_kw"] >= 50).sum())
    both = client.get(f"{POINTS}/rows", params=[
        ("filter", "power_kw:ge:50"), ("filter", "charging_points:in:2|4"),
        ("columns", "charging_point_id,power_kw,charging_points")]).json()
    expected = source[(source["power_kw"] >= 50) & source["charging_points"].isin([2, 4])]
    assert [r["charging_point_id"] for r in both["rows"]] == expected["charging_point_id"].tolist()
    assert set(both["rows"][0]) == {"charging_point_id", "power_kw", "charging_points"}
    text = client.get(f"{POINTS}/rows", params={"filter": "connector_types:contains:CHAdeMO"})
    assert all("CHAdeMO" in str(r["connector_types"]) for r in text.json()["rows"])


def test_bad_row_queries_are_400(client: TestClient) -> None:
    cases = [
        {"filter": "power_kw:ge:many"}, {"filter": "nope:eq:1"}, {"filter": "power_kw:like:5"},
        {"columns": "nope"}, {"cursor": "WyJhIl0"}, {"bbox": "1,1,0,0"},
    ]
    for params in cases:
        response = client.get(f"{POINTS}/rows", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.json()["error"]["status"] == 400
    assert client.get(f"{POINTS}/rows", params={"limit": 1001}).status_code == 422
    assert client.get("/datasets/ladesaeulen-musterstadt/resources/nope/rows").status_code == 404


def test_downloads_in_every_format(client: TestClient) -> None:
    source = pd.read_csv(ROOT / "pipelines/samples/charging-points/charging-points.csv")
    ids = source["charging_point_id"].tolist()

    def get(fmt: str) -> bytes:
        response = client.get(f"{POINTS}/download", params={"format": fmt})
        assert response.status_code == 200, response.text
        return response.content

    assert pd.read_csv(io.BytesIO(get("csv")))["charging_point_id"].tolist() == ids
    assert get("original") == get("csv")
    geojson = gpd.read_file(io.BytesIO(get("geojson")))
    assert geojson["charging_point_id"].tolist() == ids and geojson.crs.to_epsg() == 4326
    plain = pq.read_table(io.BytesIO(get("parquet")))
    assert plain.column("charging_point_id").to_pylist() == ids
    assert str(plain.schema.field("power_kw").type) == "double"
    geo = gpd.read_parquet(io.BytesIO(get("geoparquet")))
    assert geo["charging_point_id"].tolist() == ids and geo.crs.to_epsg() == 25833


def test_download_etag_is_stable_and_answers_304(client: TestClient) -> None:
    first = client.get(f"{POINTS}/download", params={"format": "parquet"})
    etag = first.headers["etag"]
    again = client.get(f"{POINTS}/download", params={"format": "parquet"},
                       headers={"If-None-Match": etag})
    assert again.status_code == 304
