"""SIGKILL a publish to the real CKAN + S3 at each stage (after an upload, in the
middle of a multipart upload, once every file is uploaded, after the dataset is
created, after the one package_revise of an update, before the orphans are
swept), then run again: no reader ever sees a half-published dataset, a mix of
old and new resources, or a resource twice, and CKAN and the bucket converge to
exactly the intended state with no orphaned object or upload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests
from ckan_helpers import DATASET, stage_files
from ckan_state import (
    assert_complete,
    assert_no_duplicates,
    assert_nothing_lost,
    delete_objects,
    s3_uploads,
    target,
    visible,
)
from convergence import digest, publish_killed
from kill_child import request_for

from publisher.settings import Settings

pytestmark = pytest.mark.stack
V1 = {"a": b"id,wert\n1,10\n2,20\n", "b": b"id,name\n1,x\n", "c": b"k\n1\n2\n3\n"}
V2 = {"a": V1["a"], "b": b"id,name\n1,x\n2,y\n", "d": b"z\n9\n"}  # b changed, c gone, d new
MB = 1024 * 1024


def _settings_json(settings: Settings) -> dict[str, Any]:
    return {k: (v.get_secret_value() if hasattr(v, "get_secret_value") else v)
            for k, v in settings.model_dump().items()
            if k.startswith(("ckan_", "s3_")) and v is not None}


def _job(settings: Settings, org: str, staged: Path, name: str, storage: str = "s3",
         title: str | None = None, part_size: int | None = None) -> dict[str, Any]:
    metadata = {**DATASET, "name": name, **({"title": title} if title else {})}
    return {"kind": "ckan", "settings": _settings_json(settings), "org": org,
            "staged": str(staged), "metadata": metadata, "storage": storage,
            "part_size": part_size}


def _republish(settings: Settings, job: dict[str, Any], part_size: int | None = None) -> Any:
    publisher = target(settings, job["org"], job["storage"], part_size)
    request = request_for(Path(job["staged"]), job["metadata"])
    return publisher.publish(request), request, publisher


def _converge(ckan: Any, s3: Any, settings: Settings, job: dict[str, Any],
              record_property: Any) -> None:
    _, request, _ = _republish(settings, job)
    assert_nothing_lost(ckan, s3, settings, request, record_property, job["storage"])
    again, _, publisher = _republish(settings, job)  # and then there is nothing to do
    assert not again.changed and publisher.client.traffic.file_bytes_sent == 0


@pytest.mark.parametrize(("storage", "stage"), [
    ("s3", "storage-object-stored#2"), ("s3", "ckan-files-uploaded"),
    ("s3", "ckan-dataset-created"), ("ckan", "ckan-dataset-created"),
    ("ckan", "ckan-dataset-revised"),
])
def test_killed_first_publish_is_never_half_visible(
        storage: str, stage: str, ckan: Any, s3: Any, stack_settings: Settings,
        publisher_org: str, unique: str, tmp_path: Path, record_property: Any) -> None:
    stage_files(tmp_path / "v1", unique, V1)
    job = _job(stack_settings, publisher_org, tmp_path / "v1", unique, storage)
    publish_killed(job, stage)
    seen = visible(stack_settings, unique)
    if seen is not None:  # visible only when complete
        assert_complete(seen, request_for(tmp_path / "v1", job["metadata"]))
    _converge(ckan, s3, stack_settings, job, record_property)


def _state(pkg: dict[str, Any]) -> tuple[str, list[tuple[str | None, str]]]:
    """What a reader sees of a dataset: its title, and its resources in order
    with their hashes (or URL, for the one added by hand)."""
    return pkg["title"], [(r.get("publisher_key"), r.get("hash") or r["url"])
                          for r in pkg["resources"]]


def _content_as_listed(s3: Any, settings: Settings, pkg: dict[str, Any]) -> None:
    """Every published resource's file is there and is what its hash says."""
    base = f"{settings.s3_endpoint}/{settings.s3_bucket}/"
    for res in pkg["resources"]:
        if not res.get("publisher_key"):
            continue
        if res["url"].startswith(base):
            data = s3.get_object(Bucket=str(settings.s3_bucket),
                                 Key=unquote(res["url"][len(base):]))["Body"].read()
        else:
            data = requests.get(res["url"], timeout=30).content
        assert res["hash"] == f"sha256:{digest(data)}", res["publisher_key"]


@pytest.mark.parametrize(("storage", "stage"), [
    ("s3", "storage-object-stored#1"), ("s3", "storage-object-stored#3"),
    ("s3", "ckan-files-uploaded"), ("s3", "ckan-dataset-revised"), ("s3", "ckan-published"),
    ("ckan", "ckan-dataset-revised"), ("ckan", "ckan-published"),
])
def test_killed_update_shows_the_old_or_the_new_dataset_never_a_mix(
        storage: str, stage: str, ckan: Any, s3: Any, stack_settings: Settings,
        publisher_org: str, unique: str, tmp_path: Path, record_property: Any) -> None:
    stage_files(tmp_path / "v1", unique, V1)
    _republish(stack_settings, _job(stack_settings, publisher_org, tmp_path / "v1", unique,
                                    storage))
    package_id = ckan.action.package_show(id=unique)["id"]
    hand = ckan.action.resource_create(package_id=package_id, name="von Hand",
                                       url="https://example.org/hand.csv")
    ckan.action.package_resource_reorder(id=package_id, order=[hand["id"]])
    old = visible(stack_settings, unique)
    assert old is not None
    stage_files(tmp_path / "v2", unique, V2)
    job = _job(stack_settings, publisher_org, tmp_path / "v2", unique, storage,
               title="Neuer Titel")
    publish_killed(job, stage)

    seen = visible(stack_settings, unique)
    assert seen is not None  # it was public and stays so
    assert_no_duplicates(seen)
    _content_as_listed(s3, stack_settings, seen)
    # all old when killed before the one package_revise, all new after it
    if stage in ("ckan-dataset-revised", "ckan-published"):
        assert _is_new(seen, request_for(tmp_path / "v2", job["metadata"]), hand), seen
    else:
        assert _state(seen) == _state(old)
    _converge(ckan, s3, stack_settings, job, record_property)
    done = ckan.action.package_show(id=unique)
    assert done["title"] == "Neuer Titel"
    assert done["resources"][0]["id"] == hand["id"]  # the hand-made resource kept, in place


def _is_new(pkg: dict[str, Any], request: Any, hand: dict[str, Any]) -> bool:
    """The dataset entirely as V2 wants it: the new title, the hand-made resource
    first, every file of V2 once with its new hash and no other."""
    want = {f.path: f"sha256:{f.sha256}" for f in request.files}
    title, listed = _state(pkg)
    return (title == "Neuer Titel" and listed[0] == (None, hand["url"])
            and dict(listed[1:]) == want and len(listed) == len(want) + 1)


@pytest.mark.parametrize(("storage", "stage"), [
    ("s3", "storage-object-stored#1"), ("s3", "ckan-files-uploaded"),
    ("s3", "ckan-dataset-revised"), ("ckan", "ckan-dataset-revised"),
])
def test_killed_restore_of_a_deleted_dataset_stays_hidden_until_complete(
        storage: str, stage: str, ckan: Any, s3: Any, stack_settings: Settings,
        publisher_org: str, unique: str, tmp_path: Path, record_property: Any) -> None:
    stage_files(tmp_path / "v1", unique, V1)
    _republish(stack_settings, _job(stack_settings, publisher_org, tmp_path / "v1", unique,
                                    storage))
    ckan.action.package_delete(id=unique)
    stage_files(tmp_path / "v2", unique, V2)
    job = _job(stack_settings, publisher_org, tmp_path / "v2", unique, storage)
    publish_killed(job, stage)
    seen = visible(stack_settings, unique)
    if stage == "ckan-dataset-revised":  # the one revise restored it, complete
        assert seen is not None
        assert_complete(seen, request_for(tmp_path / "v2", job["metadata"]))
    else:
        assert seen is None
    _converge(ckan, s3, stack_settings, job, record_property)


def _big(folder: Path, name: str, seed: bytes) -> None:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    block = b"".join(b"%07d,%s\n" % (i, seed * 20) for i in range(50_000))
    (folder / "data" / "big.csv").write_bytes(block * (12 * MB // len(block) + 1))
    (folder / "datapackage.json").write_text(json.dumps({"name": name, "resources": [
        {"name": "big", "path": "data/big.csv", "format": "csv", "mediatype": "text/csv"}]}))


def test_killed_multipart_upload_resumes_and_leaves_no_upload(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path, record_property: Any) -> None:
    _big(tmp_path / "v1", unique, b"x")
    job = _job(stack_settings, publisher_org, tmp_path / "v1", unique, part_size=5 * MB)
    publish_killed(job, "s3-part-uploaded#2")
    bucket = str(stack_settings.s3_bucket)
    assert len(s3_uploads(s3, bucket, unique)) == 1
    assert visible(stack_settings, unique) is None
    try:
        _, request, publisher = _republish(stack_settings, job, part_size=5 * MB)
        size = (tmp_path / "v1" / "data" / "big.csv").stat().st_size
        # the two parts already on the server are not sent again
        assert publisher.client.traffic.file_bytes_sent < size - 9 * MB
        assert_nothing_lost(ckan, s3, stack_settings, request, record_property)
    finally:
        delete_objects(s3, bucket, unique)


def test_an_upload_killed_before_a_content_change_is_aborted(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path, record_property: Any) -> None:
    _big(tmp_path / "v1", unique, b"x")
    job = _job(stack_settings, publisher_org, tmp_path / "v1", unique, part_size=5 * MB)
    publish_killed(job, "s3-part-uploaded#1")
    bucket = str(stack_settings.s3_bucket)
    stale = s3_uploads(s3, bucket, unique)
    assert len(stale) == 1
    _big(tmp_path / "v1", unique, b"y")  # the data changed before the next run
    try:
        result, request, _ = _republish(stack_settings, job, part_size=5 * MB)
        assert "1 unfinished upload(s)" in result.message
        assert_nothing_lost(ckan, s3, stack_settings, request, record_property)
    finally:
        delete_objects(s3, bucket, unique)
