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
from publisher.metadata.conformance import OFFICIAL, OWN, SHAPES_NOT_USED
from publisher.metadata.namespaces import GSP
from publisher.package.staged import StagedFile
from publisher.report import Report, Severity

EU_FT = "http://publications.europa.eu/resource/authority/file-type/"
DCATDE = "http://dcat-ap.de/def/dcatde/"


def _blocking(report: Report) -> list[str]:
    return sorted(f.field or "" for f in report.blocking)


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: p.stem)
def test_shipped_datasets_pass_the_official_shapes(pipeline: Path, tmp_path: Path,
                                                   official_shapes: Path) -> None:
    meta = staged_metadata(pipeline, tmp_path)
    report = check_dcat_ap_de(meta, directory=official_shapes)
    assert report.stats["dcat_ap_de"]["checked_with"] == OFFICIAL
    assert report.valid and report.blocking == []
    # and without warnings either: every concept names its vocabulary
    assert shacl_check(dcat_ap_de_graph(meta), include_warnings=True,
                       directory=official_shapes) == []


@pytest.mark.parametrize("pipeline", PIPELINES, ids=lambda p: p.stem)
def test_shipped_datasets_pass_the_own_checks(pipeline: Path, tmp_path: Path) -> None:
    meta = staged_metadata(pipeline, tmp_path)
    report = check_dcat_ap_de(meta, directory=tmp_path / "no-shapes")
    assert report.stats["dcat_ap_de"]["checked_with"] == OWN
    assert report.valid
    # what they warn about: the shapes were not used, and the period covered
    assert {f.type for f in report.findings} == {SHAPES_NOT_USED,
                                                 "dcat-ap-de-dataset-recommended"}
    assert {f.field for f in report.findings if f.field} == {"dataset.temporal"}


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


@pytest.fixture(params=["official", "own"])
def shapes(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Each check below, once with the official shapes and once with the own checks."""
    if request.param == "official":
        path: Path = request.getfixturevalue("official_shapes")
        return path
    return tmp_path / "no-shapes"


def test_minimal_case_passes(minimal: dict[str, Any], shapes: Path) -> None:
    report = check_dcat_ap_de(minimal_metadata(minimal), directory=shapes)
    assert report.valid


def test_missing_title_is_a_violation_naming_the_field(minimal: dict[str, Any],
                                                      official_shapes: Path) -> None:
    meta = minimal_metadata(minimal)
    g = dcat_ap_de_graph(meta)
    g.remove((URIRef(meta.uri), DCTERMS.title, None))
    [violation] = shacl_check(g, directory=official_shapes)
    assert violation.field == "dataset.title"
    assert violation.severity == "Violation"


def test_unknown_theme_and_frequency_block(minimal: dict[str, Any], shapes: Path) -> None:
    meta = minimal_metadata(minimal, themes=["WEATHER"], frequency="SOMETIMES")
    assert _blocking(check_dcat_ap_de(meta, directory=shapes)) == [
        "dataset.frequency", "dataset.themes"]


def test_govdata_conventions_warn_and_name_the_field_to_fill(minimal: dict[str, Any],
                                                             shapes: Path) -> None:
    meta = minimal_metadata(minimal, contributor_id=None, contact=None)
    report = check_dcat_ap_de(meta, directory=shapes)
    assert report.valid  # recommended, not mandatory: DCAT-AP.de 3.0 does not require them
    warned = {f.field: f for f in report.findings if f.severity is Severity.WARN}
    assert {"dataset.contact", "dataset.contributor_id"} <= set(warned)
    assert "GovData" in warned["dataset.contributor_id"].message
    assert warned["dataset.contributor_id"].hint == (
        "set dataset.contributor_id in the pipeline's dataset section")


def test_licence_without_a_dcat_ap_de_uri_is_named(minimal: dict[str, Any],
                                                   shapes: Path) -> None:
    meta = minimal_metadata(minimal, license="cc-by-nc-sa/4.0")
    report = check_dcat_ap_de(meta, directory=shapes)
    # the record's licence, and the licence missing on each of the two distributions
    assert _blocking(report) == ["dataset.license"] * 3
    assert sorted(f.resource or "" for f in report.blocking) == [
        "", "data/table.csv", "datapackage.json"]
    assert any("cc-by-nc-sa/4.0" in f.message for f in report.blocking)


def test_a_malformed_municipality_key_is_named(minimal: dict[str, Any], shapes: Path) -> None:
    meta = minimal_metadata(minimal, municipality_key="1234")
    assert _blocking(check_dcat_ap_de(meta, directory=shapes)) == ["dataset.municipality_key"]


def test_a_contact_with_only_a_telephone_number(minimal: dict[str, Any], shapes: Path) -> None:
    meta = minimal_metadata(minimal, contact={"name": "Open Data", "phone": "+49 (0)341 123-45"})
    g = dcat_ap_de_graph(meta)
    assert {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2006/vcard/ns#"
                                                   "hasTelephone"))} == {"tel:+4934112345"}
    report = check_dcat_ap_de(meta, directory=shapes)
    assert report.valid  # DCAT-AP.de takes a telephone number; GovData asks for more
    assert [f.field for f in report.findings if f.type == "dcat-ap-de-contact-point-govdata"
            ] == ["dataset.contact"]


def test_without_the_official_shapes_the_report_says_so(minimal: dict[str, Any],
                                                        tmp_path: Path) -> None:
    report = check_dcat_ap_de(minimal_metadata(minimal), directory=tmp_path / "empty")
    [note] = [f for f in report.findings if f.type == SHAPES_NOT_USED]
    assert note.severity is Severity.WARN and "were not used" in note.message
    assert note.hint is not None and "publisher conformance fetch" in note.hint
    assert report.stats["dcat_ap_de"] == {"checked_with": OWN,
                                          "shapes": "11 missing of 11 official files"}
    assert str(tmp_path) not in repr(report.to_dict())  # no local path in the report


def test_altered_shapes_are_not_used(minimal: dict[str, Any], official_shapes: Path,
                                     tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "shapes"
    shutil.copytree(official_shapes, copy)
    with (copy / "shapes" / "dcat-ap-SHACL-DE.ttl").open("a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    report = check_dcat_ap_de(minimal_metadata(minimal), directory=copy)
    assert report.stats["dcat_ap_de"] == {"checked_with": OWN,
                                          "shapes": "1 altered of 11 official files"}


def test_missing_conformance_data_is_a_clear_error(minimal: dict[str, Any], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISHER_CONFORMANCE_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="SHACL shapes") as info:
        shacl_check(dcat_ap_de_graph(minimal_metadata(minimal)))
    assert info.value.hint is not None and "PUBLISHER_CONFORMANCE_DIR" in info.value.hint
    assert "publisher conformance fetch" in info.value.hint


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


def test_the_product_never_reads_the_checkout_beside_it() -> None:
    """No module of the package names ../shared or the tests: the shapes come only
    from the conformance directory."""
    package = Path(__file__).resolve().parents[2] / "publisher"
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert '"shared"' not in text and "/shared/" not in text, path
