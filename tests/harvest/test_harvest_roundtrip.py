"""The round trip of issue 18 on the Länder catalogues: harvest -> serve ->
harvest into a second home -> serve. The two served catalogues are the same
graph apart from harvest metadata (catalogue node, catalogue records, paging),
every page of both passes the official DCAT-AP.de shapes, and the counts of
distributions, licences, issued dates and contact points equal the source's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from publisher.api.app import create_app
from publisher.harvest.command import run_harvest
from publisher.metadata.namespaces import HYDRA
from publisher.metadata.shacl import shacl_check
from publisher.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CONFORMANCE = ROOT.parent / "shared" / "conformance"
SHAPES = CONFORMANCE / "dcat-ap-de"
FORMATS = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}


def _pages(client: httpx.Client, first: str, syntax: str) -> list[rdflib.Graph]:
    """Every page of a served catalogue, by its hydra:next links."""
    pages: list[rdflib.Graph] = []
    url: str | None = first
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text[:500]
        page = rdflib.Graph().parse(data=response.text, format=syntax)
        pages.append(page)
        nxt = next(page.objects(None, HYDRA.next), None)
        url = str(nxt) if nxt is not None else None
        assert len(pages) < 20
    return pages


def _counts(graphs: list[rdflib.Graph]) -> Counter[str]:
    """Per dataset: distributions, licences (dataset and distribution), issued dates
    (dataset and distribution) and contact points."""
    found: Counter[str] = Counter()
    for g in graphs:
        for ds in set(g.subjects(RDF.type, DCAT.Dataset)):
            found["datasets"] += 1
            found["contact points"] += len(set(g.objects(ds, DCAT.contactPoint)))
            found["issued"] += len(set(g.objects(ds, DCTERMS.issued)))
            found["licences of datasets"] += len(set(g.objects(ds, DCTERMS.license)))
            for dist in set(g.objects(ds, DCAT.distribution)):
                found["distributions"] += 1
                found["licences of distributions"] += len(set(g.objects(dist,
                                                                        DCTERMS.license)))
                found["issued"] += len(set(g.objects(dist, DCTERMS.issued)))
    return found


def _without_harvest_metadata(pages: list[rdflib.Graph]) -> rdflib.Graph:
    """The served datasets: the pages less the catalogue node (and its publisher),
    the catalogue records and the Hydra views."""
    g = rdflib.Graph()
    for page in pages:
        g += page
    drop = set(g.subjects(RDF.type, DCAT.CatalogRecord)) | set(
        g.subjects(RDF.type, HYDRA.PartialCollectionView))
    for catalogue in set(g.subjects(RDF.type, DCAT.Catalog)):
        drop |= {catalogue, *g.objects(catalogue, DCTERMS.publisher)}
    for node in drop:
        g.remove((node, None, None))
    return g


def _no_violations(pages: list[rdflib.Graph], where: str) -> None:
    for number, page in enumerate(pages, 1):
        violations = shacl_check(page, directory=SHAPES)
        assert violations == [], f"{where}, page {number}: {violations[:3]}"


@pytest.mark.parametrize("land", ["bremen", "brandenburg"])
def test_a_laender_catalogue_goes_round_twice_unchanged(
        land: str, tmp_path: Path,
        serve_home: Callable[[Path], AbstractContextManager[str]]) -> None:
    path = CONFORMANCE / "catalogs" / f"{land}-catalog-original-input.rdf"
    if not path.is_file() or not (SHAPES / "shapes").is_dir():
        pytest.skip(f"conformance material not found under {CONFORMANCE}")
    source = _counts([rdflib.Graph().parse(path, format="xml")])

    city = Settings(home=tmp_path / "city")
    first = run_harvest(str(path), "local", city)
    assert not first.skipped and first.complete
    with serve_home(city.home) as url, httpx.Client() as client:
        served = _pages(client, f"{url}/catalog.ttl?limit=100", "turtle")
        assert len(served) == 2  # paged, so every page is checked, not only the first
        for fmt in ("rdf", "jsonld"):  # the same catalogue in every serialisation
            other = _pages(client, f"{url}/catalog.{fmt}?limit=100", FORMATS[fmt])
            assert isomorphic(_without_harvest_metadata(other),
                              _without_harvest_metadata(served)), fmt
        land_home = Settings(home=tmp_path / "land", public_url="http://land.example")
        second = run_harvest(f"{url}/catalog.ttl?limit=100", "local", land_home)
    assert len(second.added) == len(first.added) and not second.skipped and second.complete
    # what the first harvest wrote in DCAT-AP.de 3.0 the second takes as it is
    assert [(r.id, i.changed, i.dropped) for r in second.records for i in r.items()
            if i.changed or i.dropped] == []
    with TestClient(create_app(land_home), base_url="http://land.example") as client:
        again = _pages(client, "/catalog.ttl?limit=100", "turtle")

    assert _counts(served) == source, "the city's catalogue"
    assert _counts(again) == source, "the Land's catalogue"
    before, after = _without_harvest_metadata(served), _without_harvest_metadata(again)
    if not isomorphic(before, after):
        _, only_before, only_after = graph_diff(to_isomorphic(before), to_isomorphic(after))
        pytest.fail(f"the served catalogues differ: {sorted(only_before)[:5]} / "
                    f"{sorted(only_after)[:5]}")
    _no_violations(served, "the city's catalogue")
    _no_violations(again, "the Land's catalogue")
