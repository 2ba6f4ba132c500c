from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from publisher.api.catalog import Catalog
from publisher.api.dcat import dataset_graph
from publisher.catalog.store import CatalogEntry, CatalogStore
from publisher.harvest.ckan_fields import map_graph
from publisher.harvest.ckan_source import map_package
from publisher.harvest.command import run_harvest
from publisher.harvest.model import HarvestReport
from publisher.metadata import shacl_check
from publisher.metadata.namespaces import DCATDE, GEODCATAP, GSP, LOCN
from publisher.settings import Settings
from tests.api.conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases" / "harvest"
CATALOGS = ROOT.parent / "shared" / "conformance" / "catalogs"


@pytest.mark.parametrize("land", ["brandenburg", "bremen"])
def test_a_laender_catalogue_is_read_whole(land: str, tmp_path: Path) -> None:
    path = CATALOGS / f"{land}-catalog-original-input.rdf"
    if not path.is_file():
        pytest.skip(f"conformance catalogue not found at {path}")
    expected = len(set(rdflib.Graph().parse(path, format="xml").subjects(RDF.type,
                                                                           DCAT.Dataset)))
    settings = Settings(home=tmp_path / "home")
    report = run_harvest(str(path), "local", settings)
    assert len(report.added) + len(report.skipped) == expected
    assert len(report.added) >= expected - 1
    # each record says what it kept, changed and dropped, its distributions too
    assert len(report.records) == len(report.added)
    assert all(r.dataset.kept for r in report.records)
    assert sum(len(r.distributions) for r in report.records) == len(set(
        rdflib.Graph().parse(path, format="xml").subjects(RDF.type, DCAT.Distribution)))
    entries = CatalogStore(settings.catalog_dir).entries()
    assert len(entries) == len(report.added)
    assert all(e.title and e.metadata["harvest"]["id"] for e in entries)
    again = run_harvest(str(path), "local", settings)
    assert (again.added, again.updated, again.deleted) == ([], [], [])
    assert again.unchanged == len(report.added)


def test_bad_record_is_skipped_and_a_vanished_one_deleted(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    catalog = tmp_path / "catalog.ttl"
    shutil.copy(CASES / "small-catalog.ttl", catalog)
    report = run_harvest(str(catalog), "local", settings)
    assert len(report.added) == 2
    assert [s.id for s in report.skipped] == ["https://example.org/dataset/untitled"]
    assert "title" in report.skipped[0].reason
    assert report.gaps == {"description": 1}
    good = next(e for e in CatalogStore(settings.catalog_dir).entries() if e.title == "Gute Daten")
    assert good.metadata["keywords"] == ["Verkehr"]
    assert good.metadata["themes"] == ["TRAN"]
    assert good.metadata["resources"][0]["url"] == "https://example.org/files/good.csv"

    shutil.copy(CASES / "small-catalog-after-deletion.ttl", catalog)
    after = run_harvest(str(catalog), "local", settings)
    assert len(after.deleted) == 1 and after.unchanged == 1
    assert [e.title for e in CatalogStore(settings.catalog_dir).entries() if not e.deleted] == [
        "Gute Daten"]


def test_incremental_harvest_of_our_own_catalogue_sees_deletions_and_visibility(
        server: str, tmp_path: Path) -> None:
    land = Settings(home=tmp_path / "land")
    source = f"{server}/catalog.ttl?limit=2"  # several pages
    first = run_harvest(source, "local", land)
    assert first.mode == "full" and len(first.added) == 3 and not first.skipped
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server, headers=auth) as city:
        assert city.delete("/steward/datasets/ladesaeulen-musterstadt").status_code == 204
        city.put("/steward/datasets/baumkataster-musterstadt/visibility", json={"public": False})
    second = run_harvest(source, "local", land)
    assert second.mode == "incremental"
    assert len(second.deleted) == 2
    with httpx.Client(base_url=server, headers=auth) as city:
        city.put("/steward/datasets/baumkataster-musterstadt/visibility", json={"public": True})
    third = run_harvest(source, "local", land)
    assert len(third.added) == 1 and not third.deleted
    live = [e.title for e in CatalogStore(land.catalog_dir).entries() if not e.deleted]
    assert sorted(live) == ["Baumkataster Musterstadt",
                            "Mängelmeldungen Musterstadt je 100-m-Rasterzelle"]


# --- DCAT-AP.de fields: language, spatial, temporal, agents, contributor, frequency ---

def _catalogue(land: str) -> Path:
    path = CATALOGS / f"{land}-catalog-original-input.rdf"
    if not path.is_file():
        pytest.skip(f"conformance catalogue not found at {path}")
    return path


def _harvested(source: str | Path, home: Path) -> tuple[Settings, HarvestReport,
                                                         dict[str, CatalogEntry]]:
    settings = Settings(home=home)
    report = run_harvest(str(source), "local", settings)
    entries = {e.metadata["harvest"]["id"]: e
               for e in CatalogStore(settings.catalog_dir).entries()}
    return settings, report, entries


def _republished(settings: Settings, entries: list[CatalogEntry]) -> rdflib.Graph:
    """The DCAT-AP.de our catalogue serves for harvested entries."""
    cat, graph = Catalog(settings), rdflib.Graph()
    for entry in entries:
        graph += dataset_graph(cat, entry)
    return graph


def _dropped(report: HarvestReport) -> list[tuple[str, str]]:
    return sorted((c.property, c.old or "") for r in report.records for _, c in r.dropped())


def test_bremen_keeps_its_dcat_ap_de_fields_and_republishes_them(tmp_path: Path) -> None:
    settings, report, entries = _harvested(_catalogue("bremen"), tmp_path / "home")
    assert len(entries) == 153
    # before: every one of the 153 records lost these, then two empty maintainers;
    # now only five empty access URLs and three language "TODO:"s of distributions
    assert report.unmapped == {}
    assert _dropped(report) == [("dcat:accessURL", "")] * 5 + [("dct:language", "TODO:")] * 3
    record = entries["https://www.transparenz.bremen.de/de/datensatz/bremen2014_tp.c.112568.de"]
    md = record.metadata
    assert md["languages"] == ["DEU"]  # the catalogue says GER (ISO 639-2/B)
    assert md["municipality_key"] == "040110000000"  # locn:adminUnitL2 of its dct:spatial
    assert md["temporal"] == {"start": "2018-04-09", "end": "9999-01-01"}  # schema: dates
    assert md["frequency"] == "ANNUAL"
    assert md["contributor_id"] == "http://dcat-ap.de/def/contributors/transparenzportalBremen"
    assert md["originator"] == {"name": "Der Senator für Finanzen",
                                "email": "office@finanzen.bremen.de"}
    assert md["maintainer"]["name"] == "Referat 41 Senatorin für Finanzen"
    assert md["contact_email"] == "office@finanzen.bremen.de"
    assert sum("temporal" in e.metadata for e in entries.values()) == 153
    assert sum("frequency" in e.metadata for e in entries.values()) == 153  # IRREGULAR too

    graph = _republished(settings, [record])
    ds = rdflib.URIRef(record.metadata["harvest"]["id"])  # served under its own IRI
    period = graph.value(ds, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2018-04-09"
    assert str(graph.value(period, DCAT.endDate)) == "9999-01-01"
    [location] = graph.objects(ds, DCTERMS.spatial)  # as the source gives it
    assert graph.value(location, LOCN.adminUnitL2) == rdflib.URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/040110000000")
    assert rdflib.URIRef("http://publications.europa.eu/resource/authority/language/DEU") \
        in set(graph.objects(ds, DCTERMS.language))
    assert graph.value(ds, DCATDE.contributorID) == rdflib.URIRef(md["contributor_id"])
    # served as the source names it (the record's originator above reads the address
    # glued onto the name apart)
    assert str(graph.value(graph.value(ds, GEODCATAP.originator), FOAF.name)) \
        == "Der Senator für Finanzenemail: office@finanzen.bremen.de"
    assert graph.value(ds, GEODCATAP.custodian) is not None
    # every page of the served catalogue passes the shapes: test_harvest_roundtrip.py


def test_brandenburg_keeps_its_political_geocoding_and_languages(tmp_path: Path) -> None:
    settings, report, entries = _harvested(_catalogue("brandenburg"), tmp_path / "home")
    assert len(entries) == 112
    assert report.unmapped == {}  # its dcatde/1_0 names and adms:identifier included
    renamed = {c.old for r in report.records for c in r.dataset.changed}
    assert {"dcatde:1_0politicalGeocodingURI", "dcatde:1_0politicalGeocodingLevelURI"} <= renamed
    # only what DCAT-AP.de cannot hold is dropped, and said: Potsdam's own themes, and
    # "CSV" given as a media type
    assert {p for p, _ in _dropped(report)} == {"dcat:theme", "dcat:mediaType"}
    record = entries["https://lasv.brandenburg.de/OpenData/lasv/AuW1"]
    assert record.metadata["municipality_key"] == "12"
    assert sum("municipality_key" in e.metadata for e in entries.values()) == 62
    assert sum(e.metadata.get("languages") == ["DEU"] for e in entries.values()) >= 40
    graph = _republished(settings, [record])
    ds = rdflib.URIRef(record.metadata["harvest"]["id"])
    assert set(graph.objects(ds, DCTERMS.spatial)) == {
        rdflib.URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/12")}
    assert graph.value(ds, DCATDE.politicalGeocodingLevelURI) == rdflib.URIRef(
        "http://dcat-ap.de/def/politicalGeocoding/Level/state")
    # every page of the served catalogue passes the shapes: test_harvest_roundtrip.py


def test_edge_cases_of_the_dcat_ap_de_fields(tmp_path: Path,
                                             official_shapes: Path) -> None:
    settings, report, entries = _harvested(CASES / "dcat-ap-de-fields.ttl", tmp_path / "home")
    # the GeoNames place of "sonstiges" and the second of its contributor ids are kept
    assert report.unmapped == {} and _dropped(report) == []
    messstellen = entries["https://example.org/dataset/messstellen"].metadata
    assert messstellen["languages"] == ["DEU", "ENG", "FRA", "POL"]
    assert messstellen["temporal"] == {"start": "2019-03-01"}  # open end
    assert messstellen["geometry"].startswith("POLYGON((8.4 53.0")
    assert messstellen["municipality_key"] == "04011000"
    assert messstellen["frequency"] == "IRREG"
    assert messstellen["landing_page"] == "https://example.org/messstellen"
    assert messstellen["publisher_uri"] == "https://example.org/org/umweltamt"
    assert messstellen["originator"] == {"name": "Umweltamt", "email": "umwelt@example.org"}
    assert messstellen["maintainer"] == {"name": "Datenstelle"}
    parks = entries["https://example.org/dataset/parks"].metadata
    assert parks["temporal"] == {"start": "2001", "end": "2020-12-31"}
    assert parks["place"] == "Bremen-Nord"
    assert parks["geometry"] == '{"type": "Point", "coordinates": [8.6, 53.17]}'
    assert parks["bbox"].startswith("POLYGON((8.5 53.1")
    assert parks["originator"] == {"name": "Gartenamt, Abteilung Grün"}  # the dct:creator
    sonstiges = entries["https://example.org/dataset/sonstiges"].metadata
    assert not {"temporal", "languages", "geometry"} & set(sonstiges)
    assert sonstiges["contributor_id"] == "http://dcat-ap.de/def/contributors/stadtBremen"

    graph = _republished(settings, list(entries.values()))
    assert shacl_check(graph, directory=official_shapes) == []
    ds = rdflib.URIRef("https://example.org/dataset/messstellen")
    assert set(graph.objects(rdflib.URIRef("https://example.org/dataset/sonstiges"),
                             DCATDE.contributorID)) == {
        rdflib.URIRef("http://dcat-ap.de/def/contributors/stadtBremen"),
        rdflib.URIRef("http://dcat-ap.de/def/contributors/transparenzportalBremen")}
    period = graph.value(ds, DCTERMS.temporal)
    assert graph.value(period, DCAT.startDate) == rdflib.Literal("2019-03-01",
                                                                datatype=XSD.date)
    assert graph.value(period, DCAT.endDate) is None
    assert {str(o).rsplit("/", 1)[-1] for o in graph.objects(ds, DCTERMS.language)} == {
        "DEU", "ENG", "FRA", "POL"}
    assert graph.value(ds, DCAT.landingPage) == rdflib.URIRef("https://example.org/messstellen")
    location = next(o for o in graph.objects(ds, DCTERMS.spatial)
                    if (o, RDF.type, DCTERMS.Location) in graph and isinstance(o, rdflib.BNode))
    assert "POLYGON((8.4 53.0" in str(graph.value(graph.value(location, LOCN.geometry),
                                                  GSP.asWKT))
    # and into CKAN: the scheming fields of the CKAN sink
    graph_of = {k: str(e.metadata["harvest"]["graph"]) for k, e in entries.items()}
    fields = map_graph(graph_of["https://example.org/dataset/messstellen"], lambda _: None).dataset
    assert fields["temporal_coverage"] == [{"start": "2019-03-01", "end": ""}]
    assert fields["author"] == "Umweltamt" and fields["author_email"] == "umwelt@example.org"
    assert fields["maintainer"] == "Datenstelle"
    assert fields["political_geocoding_uri"] == [
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/04011000"]
    assert fields["spatial_coverage"][0]["geom"].startswith("POLYGON")
    parks_fields = map_graph(graph_of["https://example.org/dataset/parks"], lambda _: None).dataset
    assert parks_fields["spatial_coverage"][0]["bbox"].startswith("POLYGON((8.5")
    assert parks_fields["spatial_coverage"][0]["text"] == "Bremen-Nord"


def test_a_republished_record_harvests_back_the_same(tmp_path: Path) -> None:
    """A Land harvests a city that harvested another city: nothing is lost on the way."""
    settings, _, entries = _harvested(CASES / "dcat-ap-de-fields.ttl", tmp_path / "city")
    republished = tmp_path / "city.ttl"
    graph = _republished(settings, list(entries.values()))
    republished.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    _, report, again = _harvested(republished, tmp_path / "land")
    keys = ("languages", "temporal", "geometry", "bbox", "place", "municipality_key",
            "frequency", "contributor_id", "originator", "maintainer", "landing_page",
            "publisher_uri")
    before = [{k: e.metadata.get(k) for k in keys} for e in entries.values()]
    after = [{k: e.metadata.get(k) for k in keys} for e in again.values()]
    assert sorted(after, key=str) == sorted(before, key=str)  # no language made up either
    assert not report.unmapped and _dropped(report) == []
    assert not any(r.dataset.changed for r in report.records)


GEOCODED = "http://dcat-ap.de/def/politicalGeocoding/regionalKey/040110000000"


def test_a_ckan_with_dcatde_extras_keeps_the_dcat_ap_de_fields() -> None:
    """As GovData's ckanext-dcatde stores them: extras, lists JSON-encoded."""
    package = {
        "id": "0b1c", "name": "baumkataster", "title": "Baumkataster", "notes": "Bäume.",
        "organization": {"name": "stadt", "title": "Stadt Bremen"},
        "author": "Grünflächenamt", "author_email": "gruen@example.org",
        "maintainer": "Open-Data-Stelle", "maintainer_email": "od@example.org",
        "url": "https://example.org/baeume",
        "extras": [
            {"key": "contributorID",
             "value": '["http://dcat-ap.de/def/contributors/transparenzportalBremen"]'},
            {"key": "politicalGeocodingURI", "value": f'["{GEOCODED}"]'},
            {"key": "politicalGeocodingLevelURI",
             "value": "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"},
            {"key": "temporal_start", "value": "2020-01-01T00:00:00"},
            {"key": "language",
             "value": '["http://publications.europa.eu/resource/authority/language/DEU"]'},
            {"key": "frequency",
             "value": "http://publications.europa.eu/resource/authority/frequency/MONTHLY"},
            {"key": "spatial", "value": '{"type": "Point", "coordinates": [8.8, 53.08]}'},
            {"key": "geocodingText", "value": "Bremen"},
        ]}
    report = HarvestReport(source="ckan", target="test")
    record = map_package(package, "", report, base="https://ckan.example.org")
    assert report.unmapped == {}  # geocodingText is dcatde:geocodingDescription
    assert record.contributor_id == "http://dcat-ap.de/def/contributors/transparenzportalBremen"
    assert record.municipality_key == "040110000000"
    assert record.temporal == {"start": "2020-01-01T00:00:00"}
    assert record.languages == ["DEU"] and record.frequency == "MONTHLY"
    assert record.geometry == '{"type": "Point", "coordinates": [8.8, 53.08]}'
    assert record.originator == {"name": "Grünflächenamt", "email": "gruen@example.org"}
    assert record.maintainer == {"name": "Open-Data-Stelle", "email": "od@example.org"}
    assert record.landing_page == "https://example.org/baeume"
    assert record.source_uri == "https://ckan.example.org/dataset/0b1c"  # its IRI in DCAT
    # into a CKAN: the scheming fields of deploy/ckan/publisher_dataset.yaml
    assert record.graph is not None
    out = map_graph(record.graph, lambda _: None).dataset
    assert out["political_geocoding_uri"] == [GEOCODED]
    assert out["political_geocoding_level_uri"].endswith("/Level/municipality")
    assert out["contributor_id"] == [record.contributor_id]
    assert out["temporal_coverage"] == [{"start": "2020-01-01T00:00:00", "end": ""}]
    assert out["author"] == "Grünflächenamt" and out["maintainer_email"] == "od@example.org"
    assert out["language"] == ["http://publications.europa.eu/resource/authority/language/DEU"]
    assert out["spatial_coverage"][0]["geom"].startswith('{"type": "Point"')
    assert out["url"] == "https://example.org/baeume"
    assert out["geocoding_description"] == "Bremen"


def test_a_ckan_with_our_scheming_fields_keeps_the_dcat_ap_de_fields() -> None:
    """As our own CKAN (and ckanext-dcat's scheming profile) gives them."""
    package = {
        "id": "9f", "name": "radwege", "title": "Radwege", "notes": "Radwege.",
        "organization": {"name": "stadt", "title": "Stadt"},
        "publisher": [{"name": "Stadt", "uri": "https://example.org/stadt"}],
        "language": ["http://publications.europa.eu/resource/authority/language/DEU",
                     "http://publications.europa.eu/resource/authority/language/ENG"],
        "contributor_id": ["http://dcat-ap.de/def/contributors/transparenzportalBremen"],
        "political_geocoding_uri": [GEOCODED],
        "temporal_coverage": [{"start": "2018", "end": "2024-06-30"}],
        "spatial_coverage": [{"text": "Bremen", "bbox": "POLYGON((8 53, 9 53, 9 54, 8 54, 8 53))"}],
        "geographic_toponym": "Bremen",
        "author": "", "maintainer": None,
    }
    report = HarvestReport(source="ckan", target="test")
    record = map_package(package, "", report, base="https://ckan.example.org")
    assert report.unmapped == {}
    assert record.languages == ["DEU", "ENG"]
    assert record.publisher_uri == "https://example.org/stadt"
    assert record.temporal == {"start": "2018", "end": "2024-06-30"}
    assert record.place == "Bremen" and record.bbox is not None
    assert record.municipality_key == "040110000000"
    assert record.originator is None and record.maintainer is None
