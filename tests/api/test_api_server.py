"""The same API through a real uvicorn process on loopback."""

from __future__ import annotations

import httpx
import rdflib
from rdflib.namespace import DCAT, RDF

from tests.api.conftest import TOKEN


def test_real_server_serves_list_rows_downloads_and_catalogue(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as http:
        listing = http.get("/datasets", headers={"Accept-Encoding": "gzip"})
        assert listing.status_code == 200
        names = [d["name"] for d in listing.json()["datasets"]]
        assert names == ["baumkataster-musterstadt", "ladesaeulen-musterstadt",
                         "maengelmelder-musterstadt-raster"]
        assert listing.json()["datasets"][0]["uri"] == f"{server}/dataset/{names[0]}"

        rows = http.get("/datasets/baumkataster-musterstadt/resources/trees/rows",
                        params={"limit": 5, "columns": "tree_id"})
        assert rows.status_code == 200 and rows.json()["count"] == 5
        assert rows.json()["next"].startswith(f"{server}/datasets/")

        download = http.get("/datasets/ladesaeulen-musterstadt/resources/charging-points/"
                            "download", params={"format": "geojson"})
        assert download.status_code == 200
        assert download.headers["content-type"].startswith("application/geo+json")
        again = http.get(download.url, headers={"If-None-Match": download.headers["etag"]})
        assert again.status_code == 304

        catalogue = http.get("/catalog.ttl", headers={"Accept-Encoding": "gzip"})
        assert catalogue.headers["content-encoding"] == "gzip"
        graph = rdflib.Graph().parse(data=catalogue.text, format="turtle")
        assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 3

        assert http.get("/steward/runs").status_code == 401
        runs = http.get("/steward/runs", headers={"Authorization": f"Bearer {TOKEN}"})
        assert runs.status_code == 200 and runs.json()["runs"]
