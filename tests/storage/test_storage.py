from __future__ import annotations

import base64
import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from publisher.storage.base import content_key
from publisher.storage.local import LocalStorage
from publisher.storage.s3 import S3Storage

MB = 1024 * 1024


def _file(tmp_path: Path, size: int) -> tuple[Path, str]:
    path = tmp_path / "f.bin"
    data = os.urandom(size)
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_content_key_holds_the_digest() -> None:
    assert content_key("datasets/", "trees", "ab" * 32, "data/trees.csv") == (
        "datasets/trees/abababababababab/trees.csv")


def test_local_storage_puts_once(tmp_path: Path) -> None:
    path, digest = _file(tmp_path, 1000)
    store = LocalStorage(tmp_path / "store")
    first = store.put("a/f.bin", path, digest, 1000)
    again = store.put("a/f.bin", path, digest, 1000)
    assert (first.uploaded, first.bytes_sent) == (True, 1000)
    assert (again.uploaded, again.bytes_sent) == (False, 0)
    assert (tmp_path / "store" / "a" / "f.bin").read_bytes() == path.read_bytes()
    assert first.url.startswith("file://")


@pytest.mark.stack
def test_s3_multipart_resumes_and_skips_stored_objects(s3: Any, stack: Any,
                                                       tmp_path: Path) -> None:
    bucket = stack["PUBLISHER_S3_BUCKET"]
    store = S3Storage(s3, bucket, part_size=5 * MB)
    path, digest = _file(tmp_path, 12 * MB)
    key = f"ckanpub-tests/{uuid.uuid4().hex}/f.bin"
    # an upload interrupted after its first part
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key, Metadata={"sha256": digest},
                                        ChecksumAlgorithm="SHA256")
    part = path.read_bytes()[:5 * MB]
    s3.upload_part(Bucket=bucket, Key=key, UploadId=upload["UploadId"], PartNumber=1, Body=part,
                   ChecksumAlgorithm="SHA256",
                   ChecksumSHA256=base64.b64encode(hashlib.sha256(part).digest()).decode())
    try:
        stored = store.put(key, path, digest, 12 * MB)
        assert stored.uploaded and stored.bytes_sent == 7 * MB  # part 1 was not sent again
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert hashlib.sha256(body).hexdigest() == digest
        again = store.put(key, path, digest, 12 * MB)
        assert (again.uploaded, again.bytes_sent) == (False, 0)
    finally:
        s3.delete_object(Bucket=bucket, Key=key)


@pytest.mark.stack
def test_s3_small_object_carries_its_digest(s3: Any, stack: Any, tmp_path: Path) -> None:
    bucket = stack["PUBLISHER_S3_BUCKET"]
    path, digest = _file(tmp_path, 1000)
    key = f"ckanpub-tests/{uuid.uuid4().hex}/small.bin"
    try:
        stored = S3Storage(s3, bucket).put(key, path, digest, 1000)
        assert stored.url.endswith(key)
        assert s3.head_object(Bucket=bucket, Key=key)["Metadata"]["sha256"] == digest
    finally:
        s3.delete_object(Bucket=bucket, Key=key)
