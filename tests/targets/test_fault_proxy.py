"""CKAN and S3 stopped, answering 500s, losing answers, or slow: a fault proxy on
loopback (faultproxy.py) in front of the real stack. A publish either succeeds
or fails with a transient error, never half-publishes, and the next run
converges to exactly the intended state."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import boto3
import ckanapi
import pytest
from botocore.config import Config
from ckan_helpers import DATASET, stage_files
from ckan_state import assert_nothing_lost, delete_objects, s3_keys, target
from faultproxy import FaultProxy, first, on
from kill_child import request_for

from publisher.ckan.client import CkanClient
from publisher.ckan.retry import RetryPolicy
from publisher.errors import TransientError
from publisher.settings import Settings
from publisher.storage.s3 import S3Storage
from publisher.targets.base import PublishRequest
from publisher.targets.ckan import CkanOptions, CkanTarget

pytestmark = pytest.mark.stack
FAST = RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.1)
V1 = {"a": b"id,wert\n1,10\n2,20\n", "b": b"id,name\n1,x\n"}
V2 = {"a": V1["a"], "b": b"id,name\n1,x\n2,y\n"}
MB = 1024 * 1024


def _storage(settings: Settings, endpoint: str, part_size: int = 16 * MB) -> S3Storage:
    client = boto3.client(
        "s3", endpoint_url=endpoint, region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key.get_secret_value(),  # type: ignore[union-attr]
        aws_secret_access_key=settings.s3_secret_key.get_secret_value(),  # type: ignore[union-attr]
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                      connect_timeout=2, read_timeout=10, retries={"max_attempts": 1}))
    bucket = str(settings.s3_bucket)
    return S3Storage(client, bucket, public_url=f"{settings.s3_endpoint}/{bucket}",
                     part_size=part_size)


def _target(settings: Settings, org: str, ckan_url: str | None = None,
            s3_url: str | None = None, *, upload: str = "s3", timeout: float = 10.0,
            part_size: int = 16 * MB) -> CkanTarget:
    client = CkanClient(ckan_url or str(settings.ckan_url),
                        settings.ckan_api_key.get_secret_value(),  # type: ignore[union-attr]
                        timeout=timeout, retry=FAST)
    storage = (_storage(settings, s3_url or str(settings.s3_endpoint), part_size)
               if upload == "s3" else None)
    return CkanTarget(client, CkanOptions(organisation=org, create_organisation=True), storage)


def _request(folder: Path, name: str, tables: dict[str, bytes]) -> PublishRequest:
    stage_files(folder, name, tables)
    return request_for(folder, {**DATASET, "name": name})


def _absent(ckan: Any, name: str) -> bool:
    try:
        ckan.action.package_show(id=name)
    except ckanapi.NotFound:
        return True
    return False


def _converge(ckan: Any, s3: Any, settings: Settings, org: str, request: PublishRequest,
              record_property: Any, upload: str = "s3") -> None:
    target(settings, org, upload).publish(request)
    assert_nothing_lost(ckan, s3, settings, request, record_property, upload)


def test_ckan_stopped(ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str,
                      unique: str, tmp_path: Path, record_property: Any) -> None:
    request = _request(tmp_path / "v1", unique, V1)
    with FaultProxy(str(stack_settings.ckan_url)) as proxy:
        proxy.stop()
        with pytest.raises(TransientError, match="did not answer"):
            _target(stack_settings, publisher_org, proxy.url).publish(request)
    assert _absent(ckan, unique)
    assert s3_keys(s3, str(stack_settings.s3_bucket), unique) == set()
    _converge(ckan, s3, stack_settings, publisher_org, request, record_property)


def test_ckan_gone_after_the_uploads_then_data_changed(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path, record_property: Any) -> None:
    with FaultProxy(str(stack_settings.ckan_url), on("refuse", "package_create")) as proxy:
        with pytest.raises(TransientError):
            _target(stack_settings, publisher_org, proxy.url).publish(
                _request(tmp_path / "v1", unique, V1))
        assert proxy.faults("refuse")
    assert _absent(ckan, unique)
    uploaded = s3_keys(s3, str(stack_settings.s3_bucket), unique)
    assert len(uploaded) == 3
    # the next run has other content for b: the first run's b object is an orphan
    request = _request(tmp_path / "v2", unique, V2)
    _converge(ckan, s3, stack_settings, publisher_org, request, record_property)
    gone = uploaded - s3_keys(s3, str(stack_settings.s3_bucket), unique)
    assert [k.rsplit("/", 1)[-1] for k in gone] == ["b.csv"]


def test_ckan_answering_500(ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str,
                            unique: str, tmp_path: Path, record_property: Any) -> None:
    request = _request(tmp_path / "v1", unique, V1)
    with FaultProxy(str(stack_settings.ckan_url), lambda m, p: "500") as proxy:
        with pytest.raises(TransientError, match="HTTP 500"):
            _target(stack_settings, publisher_org, proxy.url).publish(request)
        assert len(proxy.seen) == FAST.attempts  # a read, retried a bounded number of times
    assert _absent(ckan, unique)
    _converge(ckan, s3, stack_settings, publisher_org, request, record_property)


@pytest.mark.parametrize("upload", ["s3", "ckan"])
def test_ckan_answers_lost_after_the_writes_landed(
        upload: str, ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str,
        unique: str, tmp_path: Path, record_property: Any) -> None:
    request = _request(tmp_path / "v1", unique, V1)
    rule = first("lost", "package_create", "resource_create", "package_revise")
    with FaultProxy(str(stack_settings.ckan_url), rule) as proxy:
        _target(stack_settings, publisher_org, proxy.url, upload=upload).publish(request)
        assert proxy.faults("lost")
    assert_nothing_lost(ckan, s3, stack_settings, request, record_property, upload)  # no duplicate


def test_ckan_slow(ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str,
                   unique: str, tmp_path: Path, record_property: Any) -> None:
    request = _request(tmp_path / "v1", unique, V1)
    with FaultProxy(str(stack_settings.ckan_url), lambda m, p: 0.3) as proxy:
        result = _target(stack_settings, publisher_org, proxy.url).publish(request)
    assert result.changed
    assert_nothing_lost(ckan, s3, stack_settings, request, record_property)


def test_ckan_slower_than_the_timeout_while_creating(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path, record_property: Any) -> None:
    request = _request(tmp_path / "v1", unique, V1)
    with FaultProxy(str(stack_settings.ckan_url), on(2.5, "package_create")) as proxy:
        # the create lands after the client gave up: success or a transient error
        with contextlib.suppress(TransientError):
            _target(stack_settings, publisher_org, proxy.url, timeout=1.0).publish(request)
        proxy.wait_idle()
    _converge(ckan, s3, stack_settings, publisher_org, request, record_property)
    found = ckan.action.package_search(q=f"name:{unique}", include_private=True)["results"]
    assert len(found) == 1


@pytest.mark.parametrize("fault", ["stopped", "500"])
def test_s3_stopped_or_failing_publishes_nothing(
        fault: str, ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str,
        unique: str, tmp_path: Path, record_property: Any) -> None:
    request = _request(tmp_path / "v1", unique, V1)
    rule = on("500", "/") if fault == "500" else on("pass", "/")
    with FaultProxy(str(stack_settings.s3_endpoint), rule) as proxy:
        if fault == "stopped":
            proxy.stop()
        with pytest.raises(TransientError, match="S3"):
            _target(stack_settings, publisher_org, s3_url=proxy.url).publish(request)
    assert _absent(ckan, unique)  # files go first: CKAN never saw the dataset
    _converge(ckan, s3, stack_settings, publisher_org, request, record_property)


def test_s3_gone_in_the_middle_of_a_multipart_upload(
        ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str, unique: str,
        tmp_path: Path, record_property: Any) -> None:
    folder = tmp_path / "big"
    (folder / "data").mkdir(parents=True)
    block = b"".join(b"%07d,%s\n" % (i, b"q" * 30) for i in range(40_000))
    (folder / "data" / "big.csv").write_bytes(block * (11 * MB // len(block) + 1))
    (folder / "datapackage.json").write_text(json.dumps({"name": unique, "resources": [
        {"name": "big", "path": "data/big.csv", "format": "csv", "mediatype": "text/csv"}]}))
    request = request_for(folder, {**DATASET, "name": unique})
    bucket = str(stack_settings.s3_bucket)
    try:
        with FaultProxy(str(stack_settings.s3_endpoint), on("refuse", "partNumber=2")) as proxy, \
                pytest.raises(TransientError):
            _target(stack_settings, publisher_org, s3_url=proxy.url,
                    part_size=5 * MB).publish(request)
        assert _absent(ckan, unique)
        resumed = _target(stack_settings, publisher_org, part_size=5 * MB)
        resumed.publish(request)
        size = (folder / "data" / "big.csv").stat().st_size
        # part 1 is not sent again (the descriptor, a few hundred bytes, is)
        assert resumed.client.traffic.file_bytes_sent <= size - 5 * MB + 4096
        assert_nothing_lost(ckan, s3, stack_settings, request, record_property)
    finally:
        delete_objects(s3, bucket, unique)


def test_s3_slow(ckan: Any, s3: Any, stack_settings: Settings, publisher_org: str,
                 unique: str, tmp_path: Path, record_property: Any) -> None:
    request = _request(tmp_path / "v1", unique, V1)
    with FaultProxy(str(stack_settings.s3_endpoint), lambda m, p: 0.3) as proxy:
        _target(stack_settings, publisher_org, s3_url=proxy.url).publish(request)
        assert len(proxy.seen) >= 3
    assert_nothing_lost(ckan, s3, stack_settings, request, record_property)
