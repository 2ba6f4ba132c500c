"""Harvest from the real CKAN of the stack: into the local catalogue and into a
second CKAN organisation, with a deletion and a dataset made public later
(CKAN does not move its metadata_modified, ckan/ckan#9116)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.harvest.command import run_harvest
from publisher.settings import Settings
from publisher.targets.local import LocalTarget

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
    live = {e.name for e in LocalTarget(settings.catalog_dir).entries() if not e.deleted}
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
