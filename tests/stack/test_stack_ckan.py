"""CKAN on the real stack: Solr indexing, scheming fields, DCAT output of ckanext-dcat."""

from __future__ import annotations

import importlib
import urllib.request
import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.stack

CONTRIBUTOR = "http://dcat-ap.de/def/contributors/stadtKoeln"
MUNICIPALITY = "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
THEME = "http://publications.europa.eu/resource/authority/data-theme/GOVE"


def make_dataset(ckan: Any, org: dict[str, Any], **fields: Any) -> dict[str, Any]:
    name = f"stack-ds-{uuid.uuid4().hex[:12]}"
    dataset: dict[str, Any] = ckan.action.package_create(
        name=name, title=f"Stack test {name}", notes="Dataset made by tests/stack.",
        owner_org=org["id"], license_id="dl-by-de/2.0", **fields,
    )
    return dataset


def test_dataset_created_via_ckanapi_is_found_by_package_search(
    ckan: Any, ckan_org: dict[str, Any]
) -> None:
    dataset = make_dataset(ckan, ckan_org, tag_string="baumkataster,stack")

    by_name = ckan.action.package_search(q=f"name:{dataset['name']}")
    by_org = ckan.action.package_search(fq=f"organization:{ckan_org['name']}", rows=100)
    by_tag = ckan.action.package_search(fq="tags:baumkataster", rows=1000)

    assert by_name["count"] == 1
    assert by_name["results"][0]["id"] == dataset["id"]
    assert dataset["id"] in {d["id"] for d in by_org["results"]}
    assert dataset["id"] in {d["id"] for d in by_tag["results"]}


def test_scheming_dcat_ap_de_fields_are_real_fields(ckan: Any, ckan_org: dict[str, Any]) -> None:
    dataset = make_dataset(
        ckan, ckan_org,
        contributor_id=[CONTRIBUTOR],
        political_geocoding_uri=["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/05315000"],
        political_geocoding_level_uri=MUNICIPALITY,
        legal_basis="§ 12a EGovG",
        license_attribution_by_text="Stadt Köln",
        geographic_toponym="Köln",
        contact_email="opendata@example.org",
    )
    shown = ckan.action.package_show(id=dataset["name"])
    extras = {e["key"] for e in shown.get("extras") or []}

    assert shown["contributor_id"] == [CONTRIBUTOR]
    assert shown["political_geocoding_level_uri"] == MUNICIPALITY
    assert shown["license_attribution_by_text"] == "Stadt Köln"
    assert shown["geographic_toponym"] == "Köln"
    assert not extras & {"contributor_id", "political_geocoding_level_uri", "legal_basis"}
    schema = ckan.action.scheming_dataset_schema_show(type="dataset")
    assert "contributor_id" in {f["field_name"] for f in schema["dataset_fields"]}


def test_scheming_validates_fields(ckan: Any, ckan_org: dict[str, Any]) -> None:
    import ckanapi

    with pytest.raises(ckanapi.ValidationError) as info:
        make_dataset(ckan, ckan_org, contact_email="not an email")
    assert "contact_email" in info.value.error_dict


def test_ckanext_dcat_serves_the_dataset_as_dcat(
    ckan: Any, ckan_org: dict[str, Any], stack_values: dict[str, str]
) -> None:
    dataset = make_dataset(
        ckan, ckan_org, theme=[THEME], temporal_start="2024-01-01",
        contact_email="opendata@example.org",
    )
    url = f"{stack_values['PUBLISHER_CKAN_URL']}/dataset/{dataset['name']}.ttl"
    with urllib.request.urlopen(url, timeout=30) as response:
        content_type = response.headers.get("Content-Type", "")
        body = response.read().decode("utf-8")

    assert content_type.startswith("text/turtle")
    try:  # rdflib is not (yet) a project dependency; parse when present, else read text
        rdflib: Any = importlib.import_module("rdflib")
    except ImportError:
        assert "dcat:Dataset" in body
        assert f"<{THEME}>" in body
        assert dataset["id"] in body
        return
    graph = rdflib.Graph().parse(data=body, format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    subjects = list(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert len(subjects) == 1
    assert (subjects[0], dcat.theme, rdflib.URIRef(THEME)) in graph


def test_ckanext_dcat_catalog_lists_the_dataset(
    ckan: Any, ckan_org: dict[str, Any], stack_values: dict[str, str]
) -> None:
    dataset = make_dataset(ckan, ckan_org)
    url = f"{stack_values['PUBLISHER_CKAN_URL']}/catalog.ttl?q=name:{dataset['name']}"
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read().decode("utf-8")

    assert "dcat:Catalog" in body
    assert f"/dataset/{dataset['id']}>" in body
