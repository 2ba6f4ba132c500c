"""Harvest from the real CKAN of the stack: into the local catalogue and into a
second CKAN organisation, with a deletion and a dataset made public later
(CKAN does not move its metadata_modified, ckan/ckan#9116)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.catalog.store import CatalogStore
from publisher.harvest.command import run_harvest
from publisher.settings import Settings

pytestmark = pytest.mark.stack


def _dataset(ckan: Any, org: dict[str, Any], title: str, private: bool) -> dict[str, Any]:
    package: dict[str, Any] = ckan.action.package_create(
        name=f"h7-{uuid.uuid4().hex[:10]}", title=title, notes=f"{title}: Beschreibung",
        owner_org=org["id"], private=private, tags=[{"name": "Verkehr"}],
        resources=[{"url": "https://example.org/data.csv", "name": "daten", "format": "CSV"}])
    return package


def _organisation(ckan: Any, prefix: str, title: str) -> Iterator[dict[str, Any]]:
    org: dict[str, Any] = ckan.action.organization_create(
        name=f"{prefix}-{uuid.uuid4().hex[:10]}", title=title)
    yield org
    for pkg in ckan.action.package_search(fq=f"owner_org:{org['id']}", rows=1000,
                                          include_private=True, include_drafts=True)["results"]:
        ckan.action.dataset_purge(id=pkg["id"])
    ckan.action.organization_purge(id=org["id"])


@pytest.fixture
def city_org(ckan: Any) -> Iterator[dict[str, Any]]:
    yield from _organisation(ckan, "city", "Stadt (Harvest-Quelle)")


@pytest.fixture
def land_org(ckan: Any) -> Iterator[dict[str, Any]]:
    yield from _organisation(ckan, "land", "Land (Harvest-Ziel)")


def _cycle(ckan: Any, org: dict[str, Any], into: str, settings: Settings, url: str,
           key: str, prefix: str) -> tuple[Any, Any, dict[str, str]]:
    public = _dataset(ckan, org, "Öffentlich", private=False)
    gone = _dataset(ckan, org, "Wird gelöscht", private=False)
    later = _dataset(ckan, org, "Später öffentlich", private=True)
    source = f"ckan:{url}#{org['name']}"
    first = run_harvest(source, into, settings, prefix=prefix, ckan_url=url, ckan_key=key)
    assert sorted(first.added) == sorted(prefix + p["name"] for p in (public, gone))
    assert not first.skipped
    ckan.action.package_delete(id=gone["id"])
    # the UI's bulk "make public": metadata_modified stays as it was
    before = ckan.action.package_show(id=later["id"])["metadata_modified"]
    ckan.action.bulk_update_public(datasets=[later["id"]], org_id=org["id"])
    assert ckan.action.package_show(id=later["id"])["metadata_modified"] == before
    second = run_harvest(source, into, settings, prefix=prefix, ckan_url=url, ckan_key=key)
    assert second.mode == "incremental"
    names = {"public": prefix + public["name"], "gone": prefix + gone["name"],
             "later": prefix + later["name"]}
    return first, second, names


def test_ckan_into_the_local_catalogue(ckan: Any, city_org: dict[str, Any], stack: Any,
                                       tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "land")
    _, second, names = _cycle(ckan, city_org, "local", settings, stack["PUBLISHER_CKAN_URL"],
                              "", "")
    assert second.added == [names["later"]] and second.deleted == [names["gone"]]
    live = {e.name for e in CatalogStore(settings.catalog_dir).entries() if not e.deleted}
    assert live == {names["public"], names["later"]}
    third = run_harvest(f"ckan:{stack['PUBLISHER_CKAN_URL']}#{city_org['name']}", "local",
                        settings)
    assert (third.added, third.updated, third.deleted) == ([], [], [])


def test_ckan_into_a_second_city_organisation(ckan: Any, city_org: dict[str, Any],
                                              land_org: dict[str, Any], stack: Any,
                                              tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "land")
    url, key = stack["PUBLISHER_CKAN_URL"], stack["PUBLISHER_CKAN_API_KEY"]
    _, second, names = _cycle(ckan, city_org, f"ckan:{land_org['name']}", settings, url, key,
                              "land-")
    assert second.added == [names["later"]] and second.deleted == [names["gone"]]
    held = ckan.action.package_search(fq=f"owner_org:{land_org['id']}", rows=100)["results"]
    assert sorted(p["name"] for p in held) == sorted([names["public"], names["later"]])
    copy = ckan.action.package_show(id=names["public"])
    assert copy["title"] == "Öffentlich" and copy["resources"][0]["url"].endswith("data.csv")
    assert ckan.action.package_show(id=names["gone"])["state"] == "deleted"


CASES = Path(__file__).resolve().parents[2] / "tests" / "cases" / "harvest"


def test_a_dcat_harvest_goes_into_ckan_whole(ckan: Any, land_org: dict[str, Any],
                                             stack: Any, tmp_path: Path) -> None:
    """The CKAN sink maps the harvested description: the city's distributions as
    resources with all their fields, every dataset field this CKAN's schema has,
    and the rest reported (never dropped unseen)."""
    settings = Settings(home=tmp_path / "land")
    url, key = stack["PUBLISHER_CKAN_URL"], stack["PUBLISHER_CKAN_API_KEY"]
    report = run_harvest(str(CASES / "variants.ttl"), f"ckan:{land_org['name']}", settings,
                         prefix="v-", ckan_url=url, ckan_key=key)
    assert len(report.added) == 3 and not report.skipped
    held = {p["title"]: ckan.action.package_show(id=p["id"]) for p in ckan.action.package_search(
        fq=f"owner_org:{land_org['id']}", rows=100)["results"]}
    baeume, wahlen = held["Baumkataster"], held["Wahlbezirke"]
    [resource] = baeume["resources"]
    assert resource["url"] == resource["download_url"] == "https://files.example.org/baeume.csv"
    assert resource["access_url"] == "https://example.org/baeume"
    assert (resource["format"], resource["mimetype"], resource["size"]) == ("CSV", "text/csv",
                                                                             123456)
    assert resource["license"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert resource["license_attribution_by_text"] == "Stadt Beispiel, dl-de/by-2-0"
    assert resource["rights"] == "Namensnennung: Stadt Beispiel"
    assert resource["hash"].startswith("9f86d081") and resource["uri"].endswith("/baeume/csv")
    assert baeume["license_id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert sorted(baeume["contributor_id"]) == [
        "http://dcat-ap.de/def/contributors/stadtBremen",
        "http://dcat-ap.de/def/contributors/transparenzportalBremen"]
    assert baeume["contact"][0]["name"] == "Grünflächenamt"  # its own, not the publisher's
    assert baeume["publisher"][0]["uri"] == "https://example.org/org/stadt"
    assert (baeume["author"], baeume["maintainer"]) == ("Grünflächenamt", "Open-Data-Stelle")
    assert wahlen["political_geocoding_level_uri"].endswith("/Level/administrativeDistrict")
    assert wahlen["political_geocoding_uri"] == [
        "http://dcat-ap.de/def/politicalGeocoding/regionalKey/040110000000"]
    assert len(wahlen["spatial_coverage"]) == 2  # both geometries
    # what this CKAN's schema has is written; what it lacks is reported for the record
    schema = ckan.action.scheming_dataset_schema_show(type="dataset")
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    dropped = {c.property for r in report.records for _, c in r.dropped()}
    for name, value in (("issued", "2015-03-01"), ("modified", "2023-11-20T08:30:00")):
        if name in fields:
            assert baeume[name] == value
        else:
            assert name in dropped
    contact = {s["field_name"] for s in fields["contact"].get("repeating_subfields") or []}
    if "url" in contact:
        assert baeume["contact"][0]["url"] == "https://example.org/gruen/kontakt"
    else:
        assert "contact.url" in dropped
