from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from metadata_helpers import PIPELINES, minimal_metadata, staged_metadata
from rdflib import URIRef
from rdflib.namespace import DCAT, DCTERMS

from publisher.errors import InputError
from publisher.metadata import build_metadata, check_dcat_ap_de, dcat_ap_de_graph, shacl_check
from publisher.metadata.ckan import dataset_fields
from publisher.metadata.namespaces import GSP
from publisher.targets.base import StagedFile

EU_FT = "http://publications.europa.eu/resource/authority/file-type/"
DCATDE = "http://dcat-ap.de/def/dcatde/"


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: p.stem)
def test_shipped_datasets_pass_the_official_shapes(pipeline: Path, tmp_path: Path) -> None:
    meta = staged_metadata(pipeline, tmp_path)
    assert check_dcat_ap_de(meta) == []
    # and without warnings either: every concept names its vocabulary
    assert shacl_check(dcat_ap_de_graph(meta), include_warnings=True) == []


def test_formats_licence_geocoding_and_checksums_are_mapped(tmp_path: Path) -> None:
    meta = staged_metadata(next(p for p in PIPELINES if p.stem == "tree-cadastre"), tmp_path)
    g = dcat_ap_de_graph(meta)
    ds = URIRef(meta.uri)
    formats = {str(o) for o in g.objects(None, DCTERMS.format)}
    assert formats == {EU_FT + "GEOJSON", EU_FT + "JSON"}
    assert {str(o) for o in g.objects(None, DCTERMS.license)} == {
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0"}
    attribution = {str(o) for o in g.objects(None, URIRef(DCATDE + "licenseAttributionByText"))}
    assert attribution == {"Stadt Musterstadt"}
    assert str(g.value(ds, DCTERMS.spatial)) == (
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/14713000")
    assert str(g.value(ds, URIRef(DCATDE + "politicalGeocodingLevelURI"))) == (
        "http://dcat-ap.de/def/politicalGeocoding/Level/municipality")
    assert str(g.value(ds, URIRef(DCATDE + "contributorID"))) == (
        "http://dcat-ap.de/def/contributors/freistaatSachsen")
    assert len(list(g.objects(ds, DCAT.distribution))) == 2
    values = {str(o) for o in g.objects(None, URIRef("http://spdx.org/rdf/terms#checksumValue"))}
    assert values == {d.sha256 for d in meta.distributions}


def test_minimal_case_passes(minimal: dict[str, Any]) -> None:
    assert check_dcat_ap_de(minimal_metadata(minimal)) == []


def test_missing_title_is_a_violation_naming_the_field(minimal: dict[str, Any]) -> None:
    meta = minimal_metadata(minimal)
    g = dcat_ap_de_graph(meta)
    g.remove((URIRef(meta.uri), DCTERMS.title, None))
    [violation] = shacl_check(g)
    assert violation.field == "dataset.title"
    assert violation.severity == "Violation"


def test_unknown_theme_and_frequency_fail_the_vocabulary_shapes(minimal: dict[str, Any]) -> None:
    meta = minimal_metadata(minimal, themes=["WEATHER"], frequency="SOMETIMES")
    fields = sorted(v.field for v in check_dcat_ap_de(meta))
    assert fields == ["dataset.frequency", "dataset.themes"]


def test_govdata_conventions_name_the_field_to_fill(minimal: dict[str, Any]) -> None:
    meta = minimal_metadata(minimal, contributor_id=None, contact=None)
    assert sorted(v.field for v in check_dcat_ap_de(meta)) == [
        "dataset.contact", "dataset.contributor_id"]


def test_licence_without_a_dcat_ap_de_uri_is_named(minimal: dict[str, Any]) -> None:
    meta = minimal_metadata(minimal, license="cc-by-nc-sa/4.0")
    violations = check_dcat_ap_de(meta)
    # GovData's convention and the DE shape on each of the two distributions
    assert [v.field for v in violations] == ["dataset.license"] * 3
    assert any("cc-by-nc-sa/4.0" in v.message for v in violations)


def test_a_malformed_municipality_key_is_named(minimal: dict[str, Any]) -> None:
    meta = minimal_metadata(minimal, municipality_key="1234")
    assert [v.field for v in check_dcat_ap_de(meta)] == ["dataset.municipality_key"]


def test_district_key_gives_the_district_level(minimal: dict[str, Any]) -> None:
    meta = minimal_metadata(minimal, municipality_key="05315")
    assert meta.geocoding == (
        "http://dcat-ap.de/def/politicalGeocoding/districtKey/05315",
        "http://dcat-ap.de/def/politicalGeocoding/Level/administrativeDistrict")


def test_missing_conformance_data_is_a_clear_error(minimal: dict[str, Any], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_CONFORMANCE_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="SHACL shapes") as info:
        shacl_check(dcat_ap_de_graph(minimal_metadata(minimal)))
    assert info.value.hint is not None and "PUBLISHER_CONFORMANCE_DIR" in info.value.hint


def test_the_dataset_extent_is_that_of_the_published_resources(tmp_path: Path) -> None:
    meta = staged_metadata(next(p for p in PIPELINES if p.stem == "defect-reports"), tmp_path)
    descriptor = json.loads((tmp_path / "staged" / "datapackage.json").read_text("utf-8"))
    [box] = [r["bbox"] for r in descriptor["resources"]]
    assert meta.bbox is not None
    assert shapely.from_wkt(meta.bbox).bounds == tuple(box)
    g = dcat_ap_de_graph(meta)
    [literal] = g.objects(None, DCAT.bbox)
    assert literal.datatype == GSP.wktLiteral and str(literal) == meta.bbox
    assert dataset_fields(meta, "dl-by-de")["geographic_bbox"] == meta.bbox
    # the distribution is titled by the pipeline, never by the raw package
    assert meta.distributions[0].title == "Mängelmeldungen je Rasterzelle"


def test_a_bbox_the_pipeline_gives_wins_over_the_data(minimal: dict[str, Any]) -> None:
    given = "POLYGON((12 51, 13 51, 13 52, 12 52, 12 51))"
    descriptor = {"resources": [{"name": "t", "path": "data/table.csv",
                                 "bbox": [12.3, 51.3, 12.4, 51.4]}]}
    files = [StagedFile("data/table.csv", "0" * 64, 4)]
    section = {**minimal["dataset"], "bbox": given}
    assert build_metadata(section, descriptor, files, base_uri="https://x.example").bbox == given
    assert build_metadata(minimal["dataset"], descriptor, files,
                          base_uri="https://x.example").bbox == (
        "POLYGON((12.3 51.3, 12.4 51.3, 12.4 51.4, 12.3 51.4, 12.3 51.3))")
    assert build_metadata(minimal["dataset"], {"resources": [{"bbox": [1, 2, 3]}]}, files,
                          base_uri="https://x.example").bbox is None
