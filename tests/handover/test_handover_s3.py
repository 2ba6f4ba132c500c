"""The handover to and verification from the stack's real S3 server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from publisher.handover import verify_bundle, write_handover
from publisher.handover.location import S3Address, S3Store
from publisher.settings import Settings
from publisher.storage.s3 import S3Storage
from tests.handover.conftest import TREES, cli

KEYS = ("PUBLISHER_S3_ENDPOINT", "PUBLISHER_S3_ACCESS_KEY", "PUBLISHER_S3_SECRET_KEY",
        "PUBLISHER_S3_REGION")


@pytest.fixture
def address(stack: Any, s3: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh s3:// prefix in the stack's bucket (removed afterwards); the
    S3 settings in the environment, as an operator would set them."""
    for key in KEYS:
        monkeypatch.setenv(key, stack[key])
    bucket = stack["PUBLISHER_S3_BUCKET"]
    prefix = f"handover-tests/{uuid.uuid4().hex[:12]}"
    yield f"s3://{bucket}/{prefix}"
    S3Store(s3, S3Address(bucket, f"{prefix}/")).delete_all()


@pytest.mark.stack
def test_s3_bundle_verifies_from_s3_and_catches_an_altered_object(
        address: str, published: Path, s3: Any, stack: Any) -> None:
    code, data = cli("handover", "--home", str(published), "--out", address)
    assert code == 0, data
    code, out = cli("handover", "verify", address, "--expect", data["manifest_sha256"])
    assert code == 0 and out["ok"] and out["files"] == data["files"], out

    code, again = cli("handover", "--home", str(published), "--out", address)
    assert code == 2 and "not empty" in again["message"]

    bucket, prefix = stack["PUBLISHER_S3_BUCKET"], address.split("/", 3)[3]
    key = f"{prefix}/datasets/{TREES}/v1/datapackage.json"
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    s3.put_object(Bucket=bucket, Key=key, Body=body.replace(b"{", b"{ ", 1))
    s3.put_object(Bucket=bucket, Key=f"{prefix}/extra.txt", Body=b"x")
    code, out = cli("handover", "verify", address)
    assert code == 1
    assert {(p["kind"], p["path"]) for p in out["problems"]} == {
        ("altered", f"datasets/{TREES}/v1/datapackage.json"), ("extra", "extra.txt")}

    code, data = cli("handover", "--home", str(published), "--out", address, "--force")
    assert code == 0, data
    code, out = cli("handover", "verify", address)
    assert code == 0, out


@pytest.mark.stack
def test_interrupted_s3_upload_leaves_no_manifest(
        address: str, published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(home=published)
    real_put, calls = S3Storage.put, []

    def failing_put(self: S3Storage, key: str, path: Path, sha256: str, size: int) -> Any:
        calls.append(key)
        if len(calls) == 5:
            raise ConnectionResetError("network gone")
        return real_put(self, key, path, sha256, size)

    monkeypatch.setattr(S3Storage, "put", failing_put)
    with pytest.raises(ConnectionResetError):
        write_handover(address, settings)
    monkeypatch.setattr(S3Storage, "put", real_put)
    code, out = cli("handover", "verify", address)
    assert code == 2 and "no manifest.json" in out["message"]
    with pytest.raises(Exception, match="not empty"):
        write_handover(address, settings)
    result = write_handover(address, settings, force=True)
    assert verify_bundle(address, settings).ok and result.manifest.files
