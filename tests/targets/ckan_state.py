"""The intended state of a CKAN (+ S3) publish, checked against the real stack:
the dataset public and active, each resource once with its content, the bucket
holding exactly the objects the resources point at, no unfinished upload."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import ckanapi
import requests
from convergence import Tree, digest, lost_bytes

from publisher.settings import Settings
from publisher.targets import make_target
from publisher.targets.base import PublishRequest
from publisher.targets.ckan import CkanTarget

PREFIX = "datasets/"


def target(settings: Settings, org: str, storage: str = "s3",
           part_size: int | None = None) -> CkanTarget:
    made = make_target({"type": "ckan", "organisation": org, "create_organisation": True,
                        "storage": storage}, settings)
    assert isinstance(made, CkanTarget)
    if part_size:
        made.storage.part_size = part_size  # type: ignore[union-attr]
    return made


def anonymous(settings: Settings) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(str(settings.ckan_url), user_agent="publisher-fault-tests")


def visible(settings: Settings, name: str) -> dict[str, Any] | None:
    """The dataset as an anonymous reader sees it, None when hidden or absent."""
    try:
        pkg: dict[str, Any] = anonymous(settings).action.package_show(id=name)
    except (ckanapi.NotFound, ckanapi.NotAuthorized):
        return None
    return pkg if pkg.get("state") == "active" else None


def published(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    """The publisher's resources (those added by hand have no publisher_key)."""
    return [r for r in pkg.get("resources") or [] if r.get("publisher_key")]


def keys(pkg: dict[str, Any]) -> list[str]:
    return [str(r["publisher_key"]) for r in published(pkg)]


def expected_tree(request: PublishRequest) -> Tree:
    return {f.path: (f.sha256, f.bytes) for f in request.files}


def assert_no_duplicates(pkg: dict[str, Any]) -> None:
    found = keys(pkg)
    assert len(found) == len(set(found)), f"duplicate resources: {sorted(found)}"


def assert_complete(pkg: dict[str, Any], request: PublishRequest) -> None:
    assert_no_duplicates(pkg)
    want = expected_tree(request)
    assert set(keys(pkg)) == set(want)
    for res in published(pkg):
        assert res["hash"] == f"sha256:{want[res['publisher_key']][0]}"


def s3_keys(s3: Any, bucket: str, name: str) -> set[str]:
    found: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket,
                                                              Prefix=f"{PREFIX}{name}/"):
        found |= {str(o["Key"]) for o in page.get("Contents", [])}
    return found


def s3_uploads(s3: Any, bucket: str, name: str) -> list[str]:
    listed = s3.list_multipart_uploads(Bucket=bucket, Prefix=f"{PREFIX}{name}/")
    return [str(u["Key"]) for u in listed.get("Uploads", [])]


def assert_converged(ckan: Any, s3: Any, settings: Settings, request: PublishRequest,
                     storage: str = "s3") -> int:
    """Fail unless CKAN and the bucket hold exactly the intended state; the bytes
    of the intended files that are missing or different (0 when converged)."""
    name = request.dataset
    pkg = ckan.action.package_show(id=name)
    assert pkg["state"] == "active" and pkg["private"] is False
    assert_complete(pkg, request)
    public = visible(settings, name)
    assert public is not None and sorted(keys(public)) == sorted(keys(pkg))
    found: Tree = {}
    bucket = str(settings.s3_bucket)
    if storage == "s3":
        base = f"{settings.s3_endpoint}/{bucket}/"
        linked = {unquote(r["url"][len(base):]): r["publisher_key"] for r in published(pkg)}
        assert all(r["url"].startswith(base) for r in published(pkg))
        assert s3_keys(s3, bucket, name) == set(linked), "orphaned or missing objects"
        assert s3_uploads(s3, bucket, name) == [], "unfinished multipart uploads left"
        for key, path in linked.items():
            data = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            found[path] = (digest(data), len(data))
    else:
        for res in published(pkg):
            data = requests.get(res["url"], timeout=30).content
            found[res["publisher_key"]] = (digest(data), len(data))
    return lost_bytes(expected_tree(request), found)


def assert_nothing_lost(ckan: Any, s3: Any, settings: Settings, request: PublishRequest,
                        record_property: Any, storage: str = "s3") -> None:
    """assert_converged, its lost bytes recorded in the test report and zero."""
    lost = assert_converged(ckan, s3, settings, request, storage)
    record_property("bytes_lost", lost)
    assert lost == 0


def delete_objects(s3: Any, bucket: str, name: str) -> None:
    """Remove a dataset's objects from the bucket."""
    for key in s3_keys(s3, bucket, name):
        s3.delete_object(Bucket=bucket, Key=key)
