"""A GeoParquet resource under a prefix of the stack's real S3 server: listed and
read with pyarrow's S3 filesystem and the PUBLISHER_S3_* settings, the records
those of one file holding them; a prefix that cannot be reached is named."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from publisher.errors import InputError
from publisher.package import batches
from publisher.package.loader import load_package
from publisher.rules.policy import check_package, load_policy
from tests.package import parquet_sets

pytestmark = pytest.mark.stack


def upload(s3: Any, bucket: str, folder: Path, prefix: str) -> None:
    for file in sorted(folder.rglob("*")):
        if file.is_file():
            s3.upload_file(str(file), bucket, f"{prefix}/{file.relative_to(folder).as_posix()}")


def s3_settings(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    for key in ("ENDPOINT", "ACCESS_KEY", "SECRET_KEY", "REGION"):
        monkeypatch.setenv(f"PUBLISHER_S3_{key}", values[f"PUBLISHER_S3_{key}"])


@pytest.fixture
def prefix(s3: Any, stack_values: dict[str, str], tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """s3://bucket/<prefix> holding the partitions; the one-file package beside."""
    bucket = stack_values["PUBLISHER_S3_BUCKET"]
    one, folder = parquet_sets.write(tmp_path, rows=600, group_rows=100)
    key = f"stack-tests/{uuid.uuid4().hex}/reports"
    upload(s3, bucket, folder / "data" / "reports", key)
    try:
        yield f"s3://{bucket}/{key}/", one
    finally:
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=key)
        for item in listed.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"])


def test_prefix_reads_as_one_file(prefix: tuple[str, Path], tmp_path: Path,
                                  stack_values: dict[str, str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    s3_settings(monkeypatch, stack_values)
    uri, one = prefix
    package = parquet_sets._package(tmp_path / "remote", uri)
    bucket = stack_values["PUBLISHER_S3_BUCKET"]
    loaded = load_package(str(package), allow_remote=True, remote_hosts=[bucket])
    resource = loaded.resources[0]
    assert resource.path is None and resource.dataset is not None
    assert resource.dataset.rows == 600 and len(resource.dataset.files) == 4
    assert "secret" not in repr(resource.dataset).lower()
    single = load_package(str(one)).resources[0]
    streamed = list(batches.iter_batches(resource))
    assert resource.data is None and len(streamed) == 8
    pd.testing.assert_frame_equal(resource.table(), single.table())
    policy = load_policy("de-open-data")
    assert check_package(policy, loaded).findings == check_package(
        policy, load_package(str(one))).findings


def test_unreachable_prefix_is_named(tmp_path: Path, stack_values: dict[str, str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    s3_settings(monkeypatch, stack_values)
    bucket = stack_values["PUBLISHER_S3_BUCKET"]
    missing = parquet_sets._package(tmp_path / "a", f"s3://{bucket}/no-such-{uuid.uuid4().hex}/")
    with pytest.raises(InputError) as info:
        load_package(str(missing), allow_remote=True, remote_hosts=[bucket])
    assert info.value.message.endswith("holds no Parquet file")
    monkeypatch.setenv("PUBLISHER_S3_ENDPOINT", "http://127.0.0.1:9")  # nothing listens
    with pytest.raises(InputError) as info:
        load_package(str(missing), allow_remote=True, remote_hosts=[bucket])
    assert info.value.message.startswith(
        f"resource 'reports': the S3 prefix 's3://{bucket}/no-such-")
    assert "cannot be listed" in info.value.message
