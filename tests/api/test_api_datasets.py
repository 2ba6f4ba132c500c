from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

NAMES = ["baumkataster-musterstadt", "ladesaeulen-musterstadt",
         "maengelmelder-musterstadt-raster"]


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    return dict(body["error"])


def test_list_pages_with_a_cursor_through_every_dataset(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/datasets?limit=1"
    while url:
        body = client.get(url).json()
        assert body["count"] == len(body["datasets"]) <= 1
        seen += [d["name"] for d in body["datasets"]]
        url = body["next"]
    assert seen == NAMES


def test_search_by_text_tag_organisation_bbox_and_time(client: TestClient) -> None:
    def names(**params: str) -> list[str]:
        response = client.get("/datasets", params=params)
        assert response.status_code == 200, response.text
        return [d["name"] for d in response.json()["datasets"]]

    assert names(q="ladesäulen") == ["ladesaeulen-musterstadt"]
    assert names(q="musterstadt baumkataster") == ["baumkataster-musterstadt"]
    assert names(tag="umwelt") == ["baumkataster-musterstadt"]
    assert names(organization="Stadt Musterstadt") == NAMES
    assert names(organization="Stadt Anderswo") == []
    # the sample data lie near Leipzig (about 12.4 E, 51.3 N)
    assert names(bbox="12.0,51.0,13.0,52.0") == NAMES  # the raster's cells are polygons
    assert names(bbox="9.0,48.0,9.5,48.5") == []
    assert names(modified_since="2000-01-01T00:00:00Z") == NAMES
    assert names(modified_since="2999-01-01T00:00:00Z") == []


def test_bad_parameters_answer_the_error_envelope(client: TestClient) -> None:
    assert _error(client.get("/datasets?cursor=xyz"), 400)["type"] == "bad-cursor"
    assert _error(client.get("/datasets?bbox=3,1,1,2"), 400)["where"] == "bbox"
    assert "bbox" in _error(client.get("/datasets?bbox=1,2,3"), 422)["message"]
    assert _error(client.get("/datasets?modified_since=yesterday"), 400)["type"] == "bad-time"
    assert _error(client.get("/datasets?limit=100000"), 422)["type"] == "invalid-parameters"
    assert _error(client.get("/datasets/nope"), 404)["type"] == "not-found"
    assert _error(client.get("/nowhere"), 404)["type"] == "not-found"


def test_metadata_lists_resources_with_download_and_row_links(client: TestClient) -> None:
    body = client.get("/datasets/ladesaeulen-musterstadt").json()
    assert body["title"] == "Ladesäulen Musterstadt"
    assert body["uri"] == "http://testserver/dataset/ladesaeulen-musterstadt"
    [resource] = body["resources"]
    assert resource["name"] == "charging-points"
    assert set(resource["downloads"]) == {"original", "csv", "geojson", "parquet", "geoparquet"}
    assert resource["rows"].endswith("/datasets/ladesaeulen-musterstadt/resources/"
                                     "charging-points/rows")
    west, south, east, north = body["bbox"]
    assert 12 < west < east < 13 and 51 < south < north < 52
    # the stable URI redirects to the metadata
    response = client.get("/dataset/ladesaeulen-musterstadt", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "http://testserver/datasets/ladesaeulen-musterstadt"


def test_etag_answers_304_when_unchanged(client: TestClient) -> None:
    first = client.get("/datasets")
    etag = first.headers["etag"]
    again = client.get("/datasets", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    other = client.get("/datasets", headers={"If-None-Match": 'W/"something-else"'})
    assert other.status_code == 200


def test_gzip_when_the_client_accepts_it(client: TestClient) -> None:
    response = client.get("/catalog.ttl", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    plain = client.get("/catalog.ttl", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert response.text == plain.text  # httpx decodes the gzip body
    assert "accept-encoding" in response.headers["vary"].lower()


def test_openapi_describes_every_public_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/datasets", "/datasets/{name}", "/datasets/{name}/resources/{resource}/rows",
            "/datasets/{name}/resources/{resource}/download", "/catalog.{fmt}",
            "/steward/runs", "/steward/packages"} <= paths
    limit = next(p for p in spec["paths"]["/datasets"]["get"]["parameters"]
                 if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 1000
