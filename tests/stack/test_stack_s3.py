"""The S3 gateway of the real stack: upload with boto3, read back through a presigned URL."""

from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

pytestmark = pytest.mark.stack


def test_object_uploaded_with_boto3_reads_back_through_presigned_url(
    s3: Any, stack_values: dict[str, str]
) -> None:
    bucket = stack_values["PUBLISHER_S3_BUCKET"]
    key = f"stack-tests/{uuid.uuid4().hex}/bäume.csv"
    payload = b"id;art;lat;lon\n1;Linde;50.94;6.96\n" * 200
    s3.put_object(Bucket=bucket, Key=key, Body=payload, ContentType="text/csv")
    try:
        url = s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=300
        )
        with urllib.request.urlopen(url, timeout=30) as response:
            body = response.read()
            content_type = response.headers.get("Content-Type")
    finally:
        s3.delete_object(Bucket=bucket, Key=key)

    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(payload).hexdigest()
    assert content_type == "text/csv"


def test_unsigned_and_tampered_urls_are_refused(s3: Any, stack_values: dict[str, str]) -> None:
    bucket = stack_values["PUBLISHER_S3_BUCKET"]
    key = f"stack-tests/{uuid.uuid4().hex}.txt"
    s3.put_object(Bucket=bucket, Key=key, Body=b"private")
    try:
        url = s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=300
        )
        plain = f"{stack_values['PUBLISHER_S3_ENDPOINT']}/{bucket}/{key}"
        tampered = url.replace("X-Amz-Signature=", "X-Amz-Signature=00")
        for bad in (plain, tampered):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(bad, timeout=30)
            assert info.value.code == 403
    finally:
        s3.delete_object(Bucket=bucket, Key=key)
