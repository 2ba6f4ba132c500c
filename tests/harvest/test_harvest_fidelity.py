"""Nothing lost on the way (issue 18): older dcatde namespaces, a licence on the
dataset only, contacts with only a URL or a phone, issued and modified as the
source gives them, second values, no guesses; the report per dataset and
distribution; paged files; --strict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD
from typer.testing import CliRunner

from publisher.api.app import create_app
from publisher.catalog.store import CatalogStore
from publisher.cli import app
from publisher.harvest.ckan_fields import fit, map_graph
from publisher.harvest.ckan_source import map_package
from publisher.harvest.command import run_harvest
from publisher.harvest.model import HarvestReport
from publisher.harvest.normalise import describe
from publisher.harvest.sinks import LocalSink
from publisher.metadata.namespaces import DCATDE, GEODCATAP, GSP, HYDRA, LOCN, VCARD
from publisher.metadata.shacl import shacl_check
from publisher.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "harvest"
SHAPES = ROOT.parent / "shared" / "conformance" / "dcat-ap-de"
BASE = "http://testserver"
EX = "https://example.org/"


def _shapes() -> Path:
    if not (SHAPES / "shapes").is_dir():
        pytest.skip(f"the official DCAT-AP.de shapes are not at {SHAPES}")
    return SHAPES


def _without_paging(g: rdflib.Graph) -> rdflib.Graph:
    """The page without its Hydra view (whose address names the serialisation)."""
    out = rdflib.Graph()
    out += g
    for view in set(g.subjects(RDF.type, HYDRA.PartialCollectionView)):
        out.remove((view, None, None))
    return out


def _served(settings: Settings, path: str = "/catalog.ttl") -> rdflib.Graph:
    with TestClient(create_app(settings), base_url=BASE) as client:
        response = client.get(path)
    assert response.status_code == 200, response.text
    return rdflib.Graph().parse(data=response.text, format="turtle")


@pytest.fixture
def variants(tmp_path: Path) -> tuple[Settings, HarvestReport, rdflib.Graph]:
    settings = Settings(home=tmp_path / "land", public_url=BASE)
    report = run_harvest(str(CASES / "variants.ttl"), "local", settings)
    assert len(report.added) == 3 and not report.skipped
    return settings, report, _served(settings)


def test_older_dcatde_namespaces_arrive_as_dcat_ap_de_3(
        variants: tuple[Settings, HarvestReport, rdflib.Graph]) -> None:
    _, report, g = variants
    baeume, wahlen, parken = (rdflib.URIRef(EX + f"dataset/{n}")
                              for n in ("baeume", "wahlen", "parken"))
    # dcatde 1.0 (http), 1.1 (https, www) and 2.0 (https): every property arrives
    assert set(g.objects(baeume, DCATDE.contributorID)) == {  # both contributors
        rdflib.URIRef("http://dcat-ap.de/def/contributors/stadtBremen"),
        rdflib.URIRef("http://dcat-ap.de/def/contributors/transparenzportalBremen")}
    assert str(g.value(g.value(baeume, GEODCATAP.originator), FOAF.name)) == "Grünflächenamt"
    assert str(g.value(g.value(baeume, GEODCATAP.custodian), FOAF.name)) == "Open-Data-Stelle"
    assert g.value(parken, DCATDE.contributorID) is not None
    assert rdflib.URIRef("http://dcat-ap.de/def/politicalGeocoding/regionalKey/040110000000") \
        in set(g.objects(wahlen, DCTERMS.spatial))
    # the level stays what the source says, though a 12-digit key alone reads "municipality"
    assert g.value(wahlen, DCATDE.politicalGeocodingLevelURI) == rdflib.URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict")
    dist = rdflib.URIRef(EX + "dataset/baeume/csv")
    assert str(g.value(dist, DCATDE.licenseAttributionByText)) == "Stadt Beispiel, dl-de/by-2-0"
    # nothing of the old namespaces is written
    assert not [p for p in g.predicates() if "/dcatde/1" in str(p) or "/dcatde/2" in str(p)]
    renamed = {(c.old, c.new) for r in report.records for i in r.items() for c in i.changed
               if c.old and "dcatde/" in c.old}
    assert ("<http://dcat-ap.de/def/dcatde/1.0/originator>", "geodcatap:originator") in renamed
    assert ("<https://www.dcat-ap.de/def/dcatde/1.1/politicalGeocodingURI>", "dct:spatial") \
        in renamed
    assert ("<https://dcat-ap.de/def/dcatde/2.0/contributorID>", "dcatde:contributorID") \
        in renamed


def test_licence_contacts_dates_and_second_values_are_kept(
        variants: tuple[Settings, HarvestReport, rdflib.Graph]) -> None:
    settings, report, g = variants
    baeume, wahlen, parken = (rdflib.URIRef(EX + f"dataset/{n}")
                              for n in ("baeume", "wahlen", "parken"))
    licence = rdflib.URIRef("http://dcat-ap.de/def/licenses/dl-by-de/2.0")
    # a licence given on the dataset only stays there, and covers its distribution
    assert g.value(baeume, DCTERMS.license) == licence
    assert g.value(rdflib.URIRef(EX + "dataset/baeume/csv"), DCTERMS.license) == licence
    # issued and modified as the source gives them; the harvest time is on the record
    assert g.value(baeume, DCTERMS.issued) == rdflib.Literal("2015-03-01", datatype=XSD.date)
    assert g.value(baeume, DCTERMS.modified) == rdflib.Literal("2023-11-20T08:30:00",
                                                               datatype=XSD.dateTime)
    record = next(g.subjects(FOAF.primaryTopic, baeume))
    assert (record, RDF.type, DCAT.CatalogRecord) in g
    assert str(g.value(record, DCTERMS.modified)) > "2025"
    # contacts with only a web address, only a phone, only an e-mail; their own names
    web = g.value(baeume, DCAT.contactPoint)
    assert g.value(web, VCARD.hasURL) == rdflib.URIRef(EX + "gruen/kontakt")
    assert str(g.value(web, VCARD.fn)) == "Grünflächenamt"
    phone = g.value(wahlen, DCAT.contactPoint)
    assert g.value(phone, VCARD.hasTelephone) == rdflib.URIRef("tel:+494213610")
    assert str(g.value(phone, VCARD.fn)) == "Wahlamt, Sachgebiet 2"
    assert g.value(g.value(parken, DCAT.contactPoint), VCARD.hasEmail) == rdflib.URIRef(
        "mailto:verkehr@example.org")
    # two geometries: both there (beside the political geocoding)
    shapes = {str(g.value(g.value(where, LOCN.geometry), GSP.asWKT))
              for where in g.objects(wahlen, DCTERMS.spatial)} - {"None"}
    assert len(shapes) == 2
    # no language made up where the source gives none; no EU theme made from a foreign one
    assert g.value(baeume, DCTERMS.language) is None
    assert set(g.objects(baeume, DCAT.theme)) == {
        rdflib.URIRef("http://publications.europa.eu/resource/authority/data-theme/ENVI")}
    [dropped] = [c for r in report.records for _, c in r.dropped()]
    assert (dropped.property, dropped.old) == ("dcat:theme",
                                               "https://opendata.example.org/theme/Umwelt")
    # the local catalogue lists the contact's own name, not the publisher's
    entries = {e.metadata["harvest"]["id"]: e for e in CatalogStore(settings.catalog_dir).entries()}
    assert entries[str(baeume)].metadata["contact"] == {
        "name": "Grünflächenamt", "url": EX + "gruen/kontakt"}
    assert entries[str(wahlen)].metadata["contact"]["phone"] == "+494213610"


def test_a_distribution_arrives_whole_with_the_citys_addresses(
        variants: tuple[Settings, HarvestReport, rdflib.Graph]) -> None:
    settings, report, g = variants
    source = rdflib.Graph().parse(CASES / "variants.ttl")
    dist = rdflib.URIRef(EX + "dataset/baeume/csv")
    given = {(p, o) for p, o in describe(source, dist).predicate_objects(dist)
             if not isinstance(o, rdflib.BNode) and "dcatde" not in str(p)}
    served = set(g.predicate_objects(dist))
    assert given <= served  # access and download URL, format, media type, size, language...
    checksum = g.value(dist, rdflib.URIRef("http://spdx.org/rdf/terms#checksum"))
    assert checksum is not None and str(g.value(dist, DCTERMS.rights)) != ""
    # in the local catalogue's listing as well
    entry = next(e for e in CatalogStore(settings.catalog_dir).entries()
                 if e.metadata["harvest"]["id"] == EX + "dataset/baeume")
    [resource] = entry.metadata["resources"]
    assert resource["download_url"] == "https://files.example.org/baeume.csv"
    assert resource["access_url"] == EX + "baeume"
    assert resource["format"] == "csv" and resource["byte_size"] == "123456"
    assert resource["license"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    # and in the report: each distribution with what was kept
    accounts = next(r for r in report.records if r.id == EX + "dataset/baeume")
    [item] = accounts.distributions
    assert item.id == str(dist) and item.kept["dcat:downloadURL"] == 1
    assert any(c.property == "dct:license" and c.old is None for c in item.changed)


def test_the_served_catalogue_passes_the_shapes_in_every_format(
        variants: tuple[Settings, HarvestReport, rdflib.Graph]) -> None:
    settings, _, g = variants
    assert [v for v in shacl_check(g, directory=_shapes())] == []
    for suffix, syntax in (("rdf", "xml"), ("jsonld", "json-ld")):
        with TestClient(create_app(settings), base_url=BASE) as client:
            text = client.get(f"/catalog.{suffix}").text
        other = rdflib.Graph().parse(data=text, format=syntax)
        assert isomorphic(_without_paging(other), _without_paging(g))
    with TestClient(create_app(settings), base_url=BASE) as client:
        one = client.get("/datasets/" + next(
            e.name for e in CatalogStore(settings.catalog_dir).entries()
            if e.title == "Wahlbezirke") + "/dcat.ttl")
    assert one.status_code == 200 and EX + "dataset/wahlen" in one.text


def test_the_report_masks_personal_values(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["harvest", str(CASES / "variants.ttl"), "--json",
                                      "--home", str(tmp_path / "land")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    text = json.dumps(data["records"], ensure_ascii=False)
    assert "vcard:hasEmail" in text and "verkehr@example.org" not in text
    assert "+49 421" not in text


# --- paged sources -------------------------------------------------------------------

def test_a_file_holding_one_page_of_three_names_the_missing_pages(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "land")
    catalogue = tmp_path / "catalog.ttl"
    shutil.copy(CASES / "small-catalog.ttl", catalogue)
    run_harvest(str(catalogue), "local", settings)
    shutil.copy(CASES / "paged-page-1-of-3.ttl", catalogue)
    report = run_harvest(str(catalogue), "local", settings)
    [finding] = report.findings
    assert finding.type == "harvest-missing-pages"
    assert "page 1 of 3 (3 of 7 datasets)" in finding.message
    assert "page 2 (https://example.org/catalog.ttl?page=2)" in finding.message
    assert "page 3 (https://example.org/catalog.ttl?page=3)" in finding.message
    # what the missing pages may hold is not deleted
    assert not report.complete and report.deleted == [] and len(report.added) == 3
    assert len([e for e in CatalogStore(settings.catalog_dir).entries() if not e.deleted]) == 5


def test_strict_fails_on_missing_pages_with_a_clear_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["harvest", str(CASES / "paged-page-1-of-3.ttl"),
                                      "--strict", "--home", str(tmp_path / "land")])
    assert result.exit_code == 1
    assert "missing: page 2" in result.output and "--strict" in result.output
    assert "Traceback" not in result.output


def test_strict_writes_no_record_that_would_lose_a_value(tmp_path: Path) -> None:
    home = tmp_path / "land"
    result = CliRunner().invoke(app, ["harvest", str(CASES / "variants.ttl"), "--strict",
                                      "--home", str(home), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    assert [s["id"] for s in data["skipped"]] == [EX + "dataset/baeume"]  # its foreign theme
    assert "dcat:theme" in data["skipped"][0]["reason"]
    assert len(data["added"]) == 2
    lenient = CliRunner().invoke(app, ["harvest", str(CASES / "variants.ttl"),
                                       "--home", str(home)])
    assert lenient.exit_code == 0
    assert "dropped from dataset https://example.org/dataset/baeume: dcat:theme" \
        in lenient.output


def test_over_http_pages_are_followed_up_to_the_limit(server: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "land")
    source = f"{server}/catalog.ttl?limit=1"  # three pages
    report = run_harvest(source, "local", settings, max_pages=2)
    assert len(report.added) == 2 and not report.complete
    [finding] = report.findings
    assert finding.type == "harvest-page-limit"
    assert "stopped after 2 pages" in finding.message and "cursor=" in finding.message
    again = run_harvest(source, "local", settings, full=True)
    assert len(again.added) == 1 and again.complete and not again.findings


def test_a_ckan_dataset_is_served_with_its_resources_and_licence(tmp_path: Path) -> None:
    """A record from a CKAN source is a DCAT description too: served with its
    resources as distributions (their own addresses), its licence, its dates."""
    package = {
        "id": "5e1f", "name": "radwege", "title": "Radwege", "notes": "Radwege der Stadt.",
        "organization": {"name": "stadt", "title": "Stadt Beispiel"},
        "license_id": "dl-by-de/2.0", "metadata_created": "2021-05-01T10:00:00",
        "metadata_modified": "2024-01-02T03:04:05", "contact_email": "rad@example.org",
        "tags": [{"name": "Verkehr"}], "groups": [{"name": "verkehr"}],
        "resources": [
            {"id": "r1", "url": "https://files.example.org/radwege.csv", "name": "Radwege CSV",
             "format": "CSV", "mimetype": "text/csv", "size": 2048, "url_type": "",
             "hash": "sha256:" + "ab" * 32, "position": 0, "odd_field": "x"},
            {"id": "r2", "url": "https://example.org/radwege/karte", "format": "HTML"}]}
    report = HarvestReport(source="ckan", target="test")
    record = map_package(package, "", report, base="https://ckan.example.org")
    settings = Settings(home=tmp_path / "land", public_url=BASE)
    assert LocalSink(CatalogStore(settings.catalog_dir)).upsert(record, "ckan:test")
    g = _served(settings)
    ds = rdflib.URIRef("https://ckan.example.org/dataset/5e1f")
    dists = {str(g.value(d, DCAT.accessURL)): d for d in g.objects(ds, DCAT.distribution)}
    assert set(dists) == {"https://files.example.org/radwege.csv",
                          "https://example.org/radwege/karte"}
    csv = dists["https://files.example.org/radwege.csv"]
    assert g.value(csv, DCTERMS.license) == rdflib.URIRef(
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0")  # the dataset's, on each distribution
    assert g.value(csv, DCAT.byteSize) == rdflib.Literal("2048",
                                                        datatype=XSD.nonNegativeInteger)
    assert str(g.value(ds, DCTERMS.issued)) == "2021-05-01T10:00:00"
    assert g.value(g.value(ds, DCAT.contactPoint), VCARD.hasEmail) == rdflib.URIRef(
        "mailto:rad@example.org")
    assert shacl_check(g, directory=_shapes()) == []
    # the report: what CKAN holds that no DCAT-AP.de property does
    [accounts] = report.records
    assert [c.property for c in accounts.dataset.dropped] == ["groups"]
    item = next(i for i in accounts.distributions if "r1" in i.id)
    assert [c.property for c in item.dropped] == ["odd_field"]
    assert any(c.property == "dct:format" and c.old == "CSV" for c in item.changed)


def test_geometry_as_literal_for_harvesters_that_read_no_geometry_node(
        variants: tuple[Settings, HarvestReport, rdflib.Graph]) -> None:
    settings, _, default = variants
    wahlen = rdflib.URIRef(EX + "dataset/wahlen")
    nodes = [default.value(w, LOCN.geometry) for w in default.objects(wahlen, DCTERMS.spatial)]
    assert any(isinstance(n, rdflib.BNode) for n in nodes)  # DCAT-AP 3 by default
    with TestClient(create_app(settings), base_url=BASE) as client:
        page = rdflib.Graph().parse(data=client.get("/catalog.ttl?geometry=literal").text,
                                    format="turtle")
        first = rdflib.Graph().parse(data=client.get("/catalog.ttl?limit=1&geometry=literal")
                                     .text, format="turtle")
        name = next(e.name for e in CatalogStore(settings.catalog_dir).entries()
                    if e.title == "Wahlbezirke")
        one = rdflib.Graph().parse(
            data=client.get(f"/datasets/{name}/dcat.ttl?geometry=literal").text,
            format="turtle")
    for g in (page, one):
        shapes = {g.value(w, LOCN.geometry) for w in g.objects(wahlen, DCTERMS.spatial)} - {None}
        assert len(shapes) == 2
        assert all(isinstance(s, rdflib.Literal) and s.datatype == GSP.wktLiteral
                   for s in shapes)
    assert "geometry=literal" in str(next(first.objects(None, HYDRA.next)))  # kept in paging


def test_what_a_ckan_schema_lacks_is_reported_not_dropped_unseen(
        variants: tuple[Settings, HarvestReport, rdflib.Graph]) -> None:
    settings, _, _ = variants
    entry = next(e for e in CatalogStore(settings.catalog_dir).entries()
                 if e.title == "Baumkataster")
    mapped = map_graph(entry.metadata["harvest"]["graph"], lambda _: "dl-by-de")
    assert mapped.dataset["issued"] == "2015-03-01" and mapped.dataset["license_id"] == "dl-by-de"
    schema = {"dataset_fields": [
        {"field_name": name} for name in ("title", "notes", "theme", "author", "author_email",
                                          "maintainer", "maintainer_email", "contributor_id",
                                          "publisher")] + [
        {"field_name": "contact", "repeating_subfields": [{"field_name": "name"}]}]}
    fit(mapped, schema)
    assert "issued" not in mapped.dataset and mapped.dataset["contact"] == [
        {"name": "Grünflächenamt"}]
    reported = {change.property for _, _, change in mapped.dropped}
    assert {"issued", "modified", "contact.url", "uri"} <= reported
    assert all(item_id == EX + "dataset/baeume" for kind, item_id, _ in mapped.dropped
               if kind == "dataset")
