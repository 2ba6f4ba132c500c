"""S3 (any S3-compatible gateway) through boto3: streaming multipart upload,
one part in memory at a time, a SHA-256 checksum on every part, and resume of
an interrupted upload (parts already on the server are not sent again)."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

from publisher.errors import PublisherError, TerminalError, TransientError
from publisher.faults import reached
from publisher.storage.base import Storage, StoredObject, Swept

PART_SIZE = 16 * 1024 * 1024  # S3 allows 5 MiB .. 5 GiB per part, 10,000 parts
_TRANSIENT_CODES = frozenset({"RequestTimeout", "SlowDown", "Throttling", "ThrottlingException",
                              "InternalError", "ServiceUnavailable", "RequestTimeTooSkewed"})


def make_client(endpoint: str | None, access_key: str | None, secret_key: str | None,
                region: str | None) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=access_key,
        aws_secret_access_key=secret_key, region_name=region or "us-east-1",
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                      connect_timeout=10, read_timeout=120,
                      retries={"max_attempts": 5, "mode": "standard"}))


def _b64sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


class S3Storage(Storage):
    type = "s3"

    def __init__(self, client: Any, bucket: str, *, public_url: str | None = None,
                 part_size: int = PART_SIZE):
        self.client, self.bucket, self.part_size = client, bucket, part_size
        endpoint = str(client.meta.endpoint_url).rstrip("/")
        self.public_url = (public_url or f"{endpoint}/{bucket}").rstrip("/")

    def url(self, key: str) -> str:
        return f"{self.public_url}/{quote(key)}"

    def put(self, key: str, path: Path, sha256: str, size: int) -> StoredObject:
        where = f"s3://{self.bucket}/{key}"
        try:
            if self._holds(key, sha256, size):
                return StoredObject(key, self.url(key), uploaded=False, bytes_sent=0)
            if size <= self.part_size:
                sent = self._put_single(key, path, sha256)
            else:
                sent = self._put_multipart(key, path, sha256)
        except PublisherError:
            raise
        except Exception as exc:  # botocore ClientError / BotoCoreError
            raise classify_error(exc, where) from None
        reached("storage-object-stored")
        return StoredObject(key, self.url(key), uploaded=True, bytes_sent=sent)

    def sweep(self, prefix: str, keep: set[str]) -> Swept:
        where = f"s3://{self.bucket}/{prefix}"
        swept = Swept()
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix)
            for page in pages:
                for item in page.get("Contents", []):
                    if item["Key"] not in keep:
                        self.client.delete_object(Bucket=self.bucket, Key=item["Key"])
                        swept.objects.append(str(item["Key"]))
            for upload in self._uploads(prefix):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                   UploadId=upload["UploadId"])
                swept.uploads += 1
        except PublisherError:
            raise
        except Exception as exc:
            raise classify_error(exc, where) from None
        return swept

    def _uploads(self, prefix: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        markers: dict[str, str] = {}
        while True:
            page = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=prefix,
                                                      **markers)
            found += page.get("Uploads", [])
            if not page.get("IsTruncated"):
                return found
            markers = {"KeyMarker": page.get("NextKeyMarker", ""),
                       "UploadIdMarker": page.get("NextUploadIdMarker", "")}

    def _holds(self, key: str, sha256: str, size: int) -> bool:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return bool(head.get("Metadata", {}).get("sha256") == sha256
                    and head.get("ContentLength") == size)

    def _put_single(self, key: str, path: Path, sha256: str) -> int:
        data = path.read_bytes()  # at most one part size
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data,
                               ChecksumSHA256=_b64sha256(data), Metadata={"sha256": sha256})
        return len(data)

    def _upload_id(self, key: str, sha256: str) -> str:
        """An unfinished upload of this key (same content: keys hold the sha256), or a new one."""
        listed = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=key)
        for upload in listed.get("Uploads", []):
            if upload.get("Key") == key:
                return str(upload["UploadId"])
        created = self.client.create_multipart_upload(
            Bucket=self.bucket, Key=key, Metadata={"sha256": sha256}, ChecksumAlgorithm="SHA256")
        return str(created["UploadId"])

    def _done_parts(self, key: str, upload_id: str) -> dict[int, dict[str, Any]]:
        done: dict[int, dict[str, Any]] = {}
        marker = 0
        while True:
            page = self.client.list_parts(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                          PartNumberMarker=marker)
            for part in page.get("Parts", []):
                done[int(part["PartNumber"])] = part
            if not page.get("IsTruncated"):
                return done
            marker = int(page["NextPartNumberMarker"])

    def _put_multipart(self, key: str, path: Path, sha256: str) -> int:
        upload_id = self._upload_id(key, sha256)
        done = self._done_parts(key, upload_id)
        parts, sent, number = [], 0, 0
        with path.open("rb") as fh:
            while chunk := fh.read(self.part_size):
                number += 1
                checksum = _b64sha256(chunk)
                old = done.get(number)
                if old and old.get("Size") == len(chunk) and old.get("ChecksumSHA256") == checksum:
                    etag = old["ETag"]
                else:
                    etag = self.client.upload_part(
                        Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number,
                        Body=chunk, ChecksumAlgorithm="SHA256", ChecksumSHA256=checksum)["ETag"]
                    sent += len(chunk)
                    reached("s3-part-uploaded")
                parts.append({"PartNumber": number, "ETag": etag, "ChecksumSHA256": checksum})
                del chunk
        self.client.complete_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                              MultipartUpload={"Parts": parts})
        return sent


def classify_error(exc: Exception, where: str) -> PublisherError:
    from botocore.exceptions import (
        BotoCoreError,
        ClientError,
        ConnectionError,
        HTTPClientError,
    )

    # HTTPClientError covers a read timeout and a connection closed without an answer
    if isinstance(exc, ConnectionError | HTTPClientError):
        return TransientError(f"S3 did not answer ({type(exc).__name__})", where=where)
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code in _TRANSIENT_CODES or status >= 500 or status == 429:
            return TransientError(f"S3 answered {code or status}", where=where)
        return TerminalError(f"S3 refused the request: {code}", where=where,
                             hint="check the bucket and the PUBLISHER_S3_* settings")
    if isinstance(exc, BotoCoreError):
        return TerminalError(f"S3 client error: {type(exc).__name__}", where=where)
    return TerminalError(f"S3 upload failed ({type(exc).__name__})", where=where)
