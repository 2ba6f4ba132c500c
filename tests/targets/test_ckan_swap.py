"""An update of a dataset is one package_revise that replaces the whole resource
list: resources that stay keep their id and place, resources added by hand are
sent back untouched, new files are stored first (S3) or travel in the same
multipart request (CKAN's own upload). Against the fake CKAN of the fault tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ckan_helpers import stage_files
from test_ckan_faults import FakeCkan

from publisher.errors import SpecError
from publisher.storage.local import LocalStorage
from publisher.targets.ckan import CkanOptions, CkanTarget
from publisher.targets.ckan_plan import KEY_FIELD, DesiredResource, make_plan, resource_list

V1 = {"a": b"id\n1\n", "b": b"id\n2\n", "c": b"id\n3\n"}
V2 = {"a": V1["a"], "b": b"id\n2\n22\n", "d": b"id\n4\n"}  # b changed, c gone, d new
WRITES = {"package_create", "package_revise", "package_patch", "package_update",
          "resource_create", "resource_patch", "resource_update", "resource_delete"}


def _want(key: str, digest: str) -> DesiredResource:
    return DesiredResource(key, Path(key), digest, 1,
                           {"name": key, "hash": f"sha256:{digest}", KEY_FIELD: key})


def test_resource_list_keeps_ids_places_and_hand_made_resources() -> None:
    resources = [
        {"id": "1", KEY_FIELD: "a", "name": "a", "hash": "sha256:aa", "extra": "x"},
        {"id": "2", "name": "added by hand", "url": "https://example.org/x"},
        {"id": "3", KEY_FIELD: "b", "name": "b", "hash": "sha256:bb", "extra": "y"},
        {"id": "4", KEY_FIELD: "gone", "name": "gone", "hash": "sha256:cc"},
        {"id": "5", KEY_FIELD: "a", "name": "a", "hash": "sha256:aa"}]  # a duplicate
    current = {"id": "p", "state": "active", "metadata_modified": "t", "resources": resources}
    wanted = [_want("a", "aa"), _want("b", "b2"), _want("new", "dd")]
    plan = make_plan("p", current, {}, wanted)
    values = {w.key: w.fields for w in wanted}
    listed, new_files = resource_list(plan, current, values)
    assert [(r.get("id"), r.get(KEY_FIELD)) for r in listed] == [
        ("2", None), ("3", "b"), ("5", "a"), (None, "new")]
    assert listed[0] == resources[1]  # untouched
    assert listed[1] == {**resources[2], "hash": "sha256:b2"}  # id and extras kept
    assert listed[2] == resources[4]
    assert new_files == {1: "b", 3: "new"}


def _publish(fake: FakeCkan, tmp_path: Path, tables: dict[str, bytes],
             storage: LocalStorage | None) -> Any:
    target = CkanTarget(fake, CkanOptions(organisation="org"), storage)  # type: ignore[arg-type]
    return target.publish(stage_files(tmp_path / "staged", "ds", tables))


def _hand_made(fake: FakeCkan) -> dict[str, Any]:
    res = {"id": "hand", "name": "added by hand", "url": "https://example.org/x"}
    fake.packages["ds"]["resources"].insert(1, res)
    return res


def test_update_with_ckan_upload_is_one_multipart_revise(tmp_path: Path) -> None:
    fake = FakeCkan()
    _publish(fake, tmp_path, V1, None)
    before = {r.get(KEY_FIELD): r["id"] for r in fake.packages["ds"]["resources"]}
    hand = _hand_made(fake)
    fake.traffic.actions.clear()
    fake.files.clear()

    result = _publish(fake, tmp_path, V2, None)
    assert result.changed
    assert [a for a in fake.traffic.actions if a in WRITES] == ["package_revise"]
    after = fake.packages["ds"]["resources"]
    keys = [r.get(KEY_FIELD) for r in after]
    assert keys == ["data/a.csv", None, "data/b.csv", "datapackage.json", "data/d.csv"]
    assert after[1] == hand
    for res in after:
        if res.get(KEY_FIELD) in ("data/a.csv", "data/b.csv", "datapackage.json"):
            assert res["id"] == before[res[KEY_FIELD]]
    # the files of the replaced and the new resources, at their places in the list
    descriptor = (tmp_path / "staged" / "datapackage.json").read_bytes()
    [parts] = fake.files
    assert parts == {"update__resources__2__upload": V2["b"],
                     "update__resources__3__upload": descriptor,
                     "update__resources__4__upload": V2["d"]}


def test_update_with_s3_stores_every_file_before_its_one_revise(tmp_path: Path) -> None:
    fake = FakeCkan()
    storage = LocalStorage(tmp_path / "bucket")
    _publish(fake, tmp_path, V1, storage)
    old_urls = {r[KEY_FIELD]: r["url"] for r in fake.packages["ds"]["resources"]}
    hand = _hand_made(fake)
    fake.traffic.actions.clear()
    seen_at_revise: list[set[str]] = []
    revise = fake.package_revise

    def spying_revise(**data: Any) -> Any:
        seen_at_revise.append({p.as_uri() for p in (tmp_path / "bucket").rglob("*.csv")})
        return revise(**data)

    fake.package_revise = spying_revise  # type: ignore[method-assign,assignment]
    result = _publish(fake, tmp_path, V2, storage)
    assert [a for a in fake.traffic.actions if a in WRITES] == ["package_revise"]
    assert fake.files == []  # S3 links only, no multipart
    after = fake.packages["ds"]["resources"]
    assert after[1] == hand
    new_urls = {r[KEY_FIELD]: r["url"] for r in after if r.get(KEY_FIELD)}
    # when CKAN switched, the new objects were all there and the old ones still were
    [stored] = seen_at_revise
    assert {new_urls["data/b.csv"], new_urls["data/d.csv"], old_urls["data/b.csv"],
            old_urls["data/c.csv"], old_urls["data/a.csv"]} <= stored
    # afterwards the old content is swept
    left = {p.as_uri() for p in (tmp_path / "bucket").rglob("*") if p.is_file()}
    assert left == set(new_urls.values())
    assert "3 orphaned object(s)" in result.message  # b, c and the old descriptor


def test_without_s3_the_files_of_one_request_are_bounded_together(tmp_path: Path) -> None:
    request = stage_files(tmp_path / "staged", "ds", V1)
    largest = max(f.bytes for f in request.files)
    fake = FakeCkan()
    target = CkanTarget(fake, CkanOptions(organisation="org"), None,  # type: ignore[arg-type]
                        max_ckan_upload=largest)  # each fits alone
    with pytest.raises(SpecError, match=r"files add up to .*in one request"):
        target.publish(request)
    assert not fake.packages
