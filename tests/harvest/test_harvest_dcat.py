from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.namespace import DCAT, RDF

from publisher.harvest.command import run_harvest
from publisher.settings import Settings
from publisher.targets.local import LocalTarget
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
    assert report.unmapped  # what the mapping leaves behind is reported
    entries = LocalTarget(settings.catalog_dir).entries()
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
    good = next(e for e in LocalTarget(settings.catalog_dir).entries() if e.title == "Gute Daten")
    assert good.metadata["keywords"] == ["Verkehr"]
    assert good.metadata["themes"] == ["TRAN"]
    assert good.metadata["resources"][0]["url"] == "https://example.org/files/good.csv"

    shutil.copy(CASES / "small-catalog-after-deletion.ttl", catalog)
    after = run_harvest(str(catalog), "local", settings)
    assert len(after.deleted) == 1 and after.unchanged == 1
    assert [e.title for e in LocalTarget(settings.catalog_dir).entries() if not e.deleted] == [
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
    live = [e.title for e in LocalTarget(land.catalog_dir).entries() if not e.deleted]
    assert sorted(live) == ["Baumkataster Musterstadt",
                            "Mängelmeldungen Musterstadt je 100-m-Rasterzelle"]
