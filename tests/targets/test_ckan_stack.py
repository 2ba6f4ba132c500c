"""The CKAN target against the real stack (deploy/local/up): CKAN 2.11 with the
project's scheming schema, and S3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from ckan_helpers import DATASET, stage_files

from publisher.ckan.preflight import CkanValidationError
from publisher.settings import Settings
from publisher.targets import make_target
from publisher.targets.ckan import CkanTarget

pytestmark = pytest.mark.stack
WRITES = {"package_create", "package_revise", "package_patch", "package_update",
          "resource_create", "resource_patch", "resource_update", "resource_delete",
          "organization_create"}
TABLES = {"a": b"id,wert\n1,10\n2,20\n", "b": b"id,name\n1,x\n", "c": b"k\n1\n2\n3\n"}


def _target(settings: Settings, org: str, storage: str = "s3") -> CkanTarget:
    target = make_target({"type": "ckan", "organisation": org, "create_organisation": True,
                          "storage": storage}, settings)
    assert isinstance(target, CkanTarget)
    return target


def _resources(pkg: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r.get("publisher_key"): r for r in pkg["resources"]}


def test_first_publish_writes_scheming_fields_and_s3_objects(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path) -> None:
    request = stage_files(tmp_path / "staged", unique, TABLES)
    result = _target(stack_settings, publisher_org).publish(request)
    assert result.changed and "create dataset" in result.message
    pkg = ckan.action.package_show(id=unique)
    assert not pkg.get("extras")  # metadata in scheming fields, never in extras
    assert pkg["contributor_id"] == ["http://dcat-ap.de/def/contributors/freistaatSachsen"]
    assert pkg["political_geocoding_uri"] == [
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/14713000"]
    assert pkg["theme"] == ["http://publications.europa.eu/resource/authority/data-theme/GOVE"]
    assert pkg["license_id"] == "cc-by"
    resources = _resources(pkg)
    assert set(resources) == {"data/a.csv", "data/b.csv", "data/c.csv", "datapackage.json"}
    for f in request.files:
        res = resources[f.path]
        assert res["hash"] == f"sha256:{f.sha256}"
        assert res["license"] == "http://dcat-ap.de/def/licenses/cc-by/4.0"
        key = res["url"].split(f"/{stack_settings.s3_bucket}/", 1)[1]
        head = s3.head_object(Bucket=stack_settings.s3_bucket, Key=key)
        assert head["ContentLength"] == f.bytes
        assert head["Metadata"]["sha256"] == f.sha256


def test_unchanged_republish_sends_nothing(ckan: Any, stack_settings: Settings,
                                           publisher_org: str, unique: str,
                                           tmp_path: Path) -> None:
    request = stage_files(tmp_path / "staged", unique, TABLES)
    _target(stack_settings, publisher_org).publish(request)
    before = ckan.action.package_show(id=unique)

    again = _target(stack_settings, publisher_org)
    result = again.publish(stage_files(tmp_path / "staged", unique, TABLES))
    assert not result.changed
    assert again.client.traffic.file_bytes_sent == 0
    assert not WRITES & set(again.client.traffic.actions)
    after = ckan.action.package_show(id=unique)
    assert after["metadata_modified"] == before["metadata_modified"]
    assert [r["metadata_modified"] for r in after["resources"]] == [
        r["metadata_modified"] for r in before["resources"]]


def test_one_changed_resource_is_the_only_one_uploaded(ckan: Any, stack_settings: Settings,
                                                       publisher_org: str, unique: str,
                                                       tmp_path: Path) -> None:
    _target(stack_settings, publisher_org).publish(
        stage_files(tmp_path / "staged", unique, TABLES))
    before = _resources(ckan.action.package_show(id=unique))

    changed = {**TABLES, "b": b"id,name\n1,x\n2,y\n"}
    target = _target(stack_settings, publisher_org)
    plan = target.plan(stage_files(tmp_path / "staged", unique, changed))
    actions = {r.key: r.action for r in plan.resources}
    # the descriptor here lists no hashes, so it stays as it is
    assert actions == {"data/a.csv": "keep", "data/b.csv": "replace", "data/c.csv": "keep",
                       "datapackage.json": "keep"}
    result = target.publish(stage_files(tmp_path / "staged", unique, changed))
    assert result.changed
    assert target.client.traffic.file_bytes_sent == len(changed["b"])
    after = _resources(ckan.action.package_show(id=unique))
    assert after["data/b.csv"]["hash"] != before["data/b.csv"]["hash"]
    assert after["data/b.csv"]["id"] == before["data/b.csv"]["id"]
    for key in ("data/a.csv", "data/c.csv", "datapackage.json"):
        assert after[key] == before[key]


def test_a_removed_resource_is_deleted(ckan: Any, stack_settings: Settings,
                                       publisher_org: str, unique: str, tmp_path: Path) -> None:
    _target(stack_settings, publisher_org).publish(
        stage_files(tmp_path / "staged", unique, TABLES))
    fewer = {k: v for k, v in TABLES.items() if k != "c"}
    target = _target(stack_settings, publisher_org)
    target.publish(stage_files(tmp_path / "staged", unique, fewer))
    assert set(_resources(ckan.action.package_show(id=unique))) == {
        "data/a.csv", "data/b.csv", "datapackage.json"}
    # the descriptor changed too (it lists one resource fewer), so it is replaced;
    # both in the one package_revise that replaces the resource list
    assert [a for a in target.client.traffic.actions if a in WRITES] == ["package_revise"]


@pytest.mark.parametrize("storage", ["s3", "ckan"])
def test_an_update_is_one_revise_that_keeps_ids_and_hand_made_resources(
        storage: str, ckan: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path) -> None:
    _target(stack_settings, publisher_org, storage).publish(
        stage_files(tmp_path / "staged", unique, TABLES))
    pkg = ckan.action.package_show(id=unique)
    hand = ckan.action.resource_create(package_id=pkg["id"], name="von Hand",
                                       url="https://example.org/hand.csv")
    ckan.action.package_resource_reorder(id=pkg["id"], order=[hand["id"]])  # first
    before = _resources(ckan.action.package_show(id=unique))

    changed = {"a": TABLES["a"], "b": b"id,name\n1,x\n2,y\n", "d": b"z\n9\n"}
    target = _target(stack_settings, publisher_org, storage)
    request = stage_files(tmp_path / "staged", unique, changed)
    request.metadata["title"] = "Neuer Titel"
    assert target.publish(request).changed
    assert [a for a in target.client.traffic.actions if a in WRITES] == ["package_revise"]
    after = ckan.action.package_show(id=unique)
    assert after["title"] == "Neuer Titel"
    assert [r.get("publisher_key") for r in after["resources"]] == [
        None, "data/a.csv", "data/b.csv", "datapackage.json", "data/d.csv"]
    assert after["resources"][0]["id"] == hand["id"]
    assert after["resources"][0]["url"] == hand["url"]
    now = _resources(after)
    assert now["data/a.csv"] == before["data/a.csv"]  # untouched, not even its timestamps
    for key in ("data/b.csv", "datapackage.json"):
        assert now[key]["id"] == before[key]["id"]
    for f in request.files:
        assert now[f.path]["hash"] == f"sha256:{f.sha256}"
        if storage == "ckan":
            assert requests.get(now[f.path]["url"], timeout=30).content == (
                tmp_path / "staged" / f.path).read_bytes()


def test_a_soft_deleted_name_is_restored_not_duplicated(
        ckan: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path) -> None:
    _target(stack_settings, publisher_org).publish(
        stage_files(tmp_path / "staged", unique, TABLES))
    original = ckan.action.package_show(id=unique)
    ckan.action.package_delete(id=unique)
    assert ckan.action.package_show(id=unique)["state"] == "deleted"

    result = _target(stack_settings, publisher_org).publish(
        stage_files(tmp_path / "staged", unique, TABLES))
    assert result.changed and "restore" in result.message
    restored = ckan.action.package_show(id=unique)
    assert restored["state"] == "active"
    assert restored["id"] == original["id"]
    found = ckan.action.package_search(q=f"name:{unique}", include_private=True)["results"]
    assert [p["id"] for p in found] == [original["id"]]


def test_a_ckan_validation_error_names_its_field(stack_settings: Settings,
                                                 publisher_org: str, unique: str,
                                                 tmp_path: Path) -> None:
    request = stage_files(tmp_path / "staged", unique, TABLES)
    request.metadata["contact"] = {"name": "X", "email": "not-an-address"}
    with pytest.raises(CkanValidationError) as info:
        _target(stack_settings, publisher_org).publish(request)
    assert info.value.fields == ["contact_email"]
    assert "contact_email" in str(info.value)


def test_plan_shows_field_changes_and_changes_nothing(
        ckan: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path) -> None:
    _target(stack_settings, publisher_org).publish(
        stage_files(tmp_path / "staged", unique, TABLES))
    before = ckan.action.package_show(id=unique)
    request = stage_files(tmp_path / "staged", unique, TABLES)
    request.metadata["title"] = "Neuer Titel"
    target = _target(stack_settings, publisher_org)
    plan = target.plan(request)
    assert [(c.field, c.old, c.new) for c in plan.fields] == [
        ("title", "Testdaten", "Neuer Titel")]
    assert {r.action for r in plan.resources} == {"keep"}
    assert not WRITES & set(target.client.traffic.actions)
    assert ckan.action.package_show(id=unique)["metadata_modified"] == before["metadata_modified"]
    target.publish(request)
    after = ckan.action.package_show(id=unique)
    assert after["title"] == "Neuer Titel"
    assert after["contributor_id"] == before["contributor_id"]  # revise kept the rest


def test_without_s3_small_files_use_ckan_upload(ckan: Any, stack_settings: Settings,
                                                publisher_org: str, unique: str,
                                                tmp_path: Path) -> None:
    target = _target(stack_settings, publisher_org, storage="ckan")
    target.publish(stage_files(tmp_path / "staged", unique, TABLES))
    resources = _resources(ckan.action.package_show(id=unique))
    assert {r["url_type"] for r in resources.values()} == {"upload"}
    again = _target(stack_settings, publisher_org, storage="ckan")
    assert not again.publish(stage_files(tmp_path / "staged", unique, TABLES)).changed
    assert again.client.traffic.file_bytes_sent == 0


def test_500_mb_resource_through_s3_in_bounded_memory(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path) -> None:
    staged = tmp_path / "big"
    (staged / "data").mkdir(parents=True)
    big = staged / "data" / "big.csv"
    block = b"".join(b"%09d,%s\n" % (i, b"x" * 40) for i in range(20_000))  # ~1 MB
    with big.open("wb") as fh:
        while fh.tell() < 500 * 1024 * 1024:
            fh.write(block)
    size = big.stat().st_size
    descriptor = {"name": unique, "resources": [
        {"name": "big", "path": "data/big.csv", "format": "csv", "mediatype": "text/csv"}]}
    (staged / "datapackage.json").write_text(json.dumps(descriptor))
    settings = {k: (v.get_secret_value() if hasattr(v, "get_secret_value") else v)
                for k, v in stack_settings.model_dump().items()
                if k.startswith(("ckan_", "s3_")) and v is not None}
    child = Path(__file__).with_name("publish_child.py")
    try:
        done = subprocess.run(
            [sys.executable, str(child), str(staged), publisher_org, json.dumps(settings),
             json.dumps({**DATASET, "name": unique})],
            capture_output=True, text=True, timeout=900, check=False,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    finally:
        big.unlink()
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["changed"] and out["file_bytes_sent"] >= size
    assert out["peak_rss_mb"] < 300, out
    res = _resources(ckan.action.package_show(id=unique))["data/big.csv"]
    assert int(res["size"]) == size
    assert res["url"].startswith(str(stack_settings.s3_endpoint))
    for url in out["files"]:  # leave no 500 MB object behind
        s3.delete_object(Bucket=stack_settings.s3_bucket,
                         Key=url.split(f"/{stack_settings.s3_bucket}/", 1)[1])
