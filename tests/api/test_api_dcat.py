from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.namespace import DCAT, DCTERMS, RDF

from publisher.metadata import check_graph
from publisher.metadata.namespaces import AS, HYDRA
from publisher.metadata.shacl import shacl_check

ROOT = Path(__file__).resolve().parents[2]
URI = "http://testserver/dataset/"


def _walk(client: TestClient, url: str) -> list[rdflib.Graph]:
    pages = []
    next_url: str | None = url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200, response.text
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        pages.append(graph)
        nxt = list(graph.objects(None, HYDRA.next))
        next_url = str(nxt[0]) if nxt else None
    return pages


def _datasets(pages: list[rdflib.Graph]) -> list[str]:
    return [str(d) for g in pages for d in g.subjects(RDF.type, DCAT.Dataset)]


def test_keyset_pages_follow_hydra_links_in_modification_order(client: TestClient) -> None:
    pages = _walk(client, "/catalog.ttl?limit=1")
    assert len(pages) == 3
    found = _datasets(pages)
    assert sorted(found) == [URI + n for n in ("baumkataster-musterstadt",
                                               "ladesaeulen-musterstadt",
                                               "maengelmelder-musterstadt-raster")]
    first = pages[0]
    assert len(list(first.objects(None, HYDRA.first))) == 1
    assert (None, RDF.type, HYDRA.PartialCollectionView) in first


def test_visibility_change_and_deletion_are_modifications(client: TestClient,
                                                         auth: dict[str, str]) -> None:
    before = _walk(client, "/catalog.ttl")[0]
    latest = max(str(m) for m in before.objects(None, DCTERMS.modified))
    name = "baumkataster-musterstadt"
    client.put(f"/steward/datasets/{name}/visibility", json={"public": False}, headers=auth)
    client.delete("/steward/datasets/ladesaeulen-musterstadt", headers=auth)
    [changes] = _walk(client, f"/catalog.ttl?modified_since={latest}")
    tombstones = sorted(str(s) for s in changes.subjects(RDF.type, AS.Tombstone))
    assert tombstones == [URI + name, URI + "ladesaeulen-musterstadt"]
    assert _datasets([changes]) == []
    client.put(f"/steward/datasets/{name}/visibility", json={"public": True}, headers=auth)
    [again] = _walk(client, f"/catalog.ttl?modified_since={latest}")
    assert _datasets([again]) == [URI + name]
    assert [str(s) for s in again.subjects(RDF.type, AS.Tombstone)] == [
        URI + "ladesaeulen-musterstadt"]


def test_a_never_public_dataset_leaves_no_tombstone(client: TestClient, api_home: Path,
                                                   auth: dict[str, str]) -> None:
    from publisher.catalog.store import CatalogStore

    # as if published private and never shown
    with CatalogStore(api_home / "catalog")._db() as conn:
        conn.execute("UPDATE state SET public = 0, ever_public = 0 "
                     "WHERE dataset = 'baumkataster-musterstadt'")
    text = client.get("/catalog.ttl").text
    assert "baumkataster" not in text


@pytest.mark.parametrize("fmt, syntax", [("rdf", "xml"), ("jsonld", "json-ld")])
def test_other_serialisations_hold_the_same_datasets(client: TestClient, fmt: str,
                                                     syntax: str) -> None:
    response = client.get(f"/catalog.{fmt}")
    graph = rdflib.Graph().parse(data=response.text, format=syntax)
    assert len(list(graph.subjects(RDF.type, DCAT.Dataset))) == 3
    one = client.get(f"/datasets/ladesaeulen-musterstadt/dcat.{fmt}")
    assert one.status_code == 200
    assert len(rdflib.Graph().parse(data=one.text, format=syntax)) > 10


def test_catalogue_page_passes_the_dcat_ap_de_shapes(client: TestClient,
                                                     official_shapes: Path) -> None:
    graph = rdflib.Graph().parse(data=client.get("/catalog.ttl").text, format="turtle")
    violations = shacl_check(graph, directory=official_shapes)
    assert violations == [], [v.to_dict() for v in violations]


def test_catalogue_page_passes_the_own_checks(client: TestClient, tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(data=client.get("/catalog.ttl").text, format="turtle")
    report = check_graph(graph, directory=tmp_path / "no-shapes")
    assert report.valid, [f.to_dict() for f in report.blocking]
