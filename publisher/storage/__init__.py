"""Object storage for a target's files, chosen apart from the target: a target
whose Options model takes StorageOptions is handed the storage they name
(publisher.targets.base.make_target)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from publisher.errors import SpecError
from publisher.settings import Settings
from publisher.storage.base import Storage

StorageChoice = Literal["auto", "s3", "local", "none", "ckan"]


class StorageOptions(BaseModel):
    """Where a target's files go (keys of the pipeline's `target:` block)."""

    storage: StorageChoice = Field(
        default="auto",
        description="Where the files go: S3 (PUBLISHER_S3_*), a local directory "
                    "(storage_path), or none (the target keeps them itself: CKAN's own "
                    "upload; `ckan` is the older name); auto: S3 when a bucket is "
                    "configured, else none.")
    s3_bucket: str | None = Field(
        default=None, min_length=3, description="s3: bucket; default: PUBLISHER_S3_BUCKET.")
    storage_path: str | None = Field(
        default=None, min_length=1,
        description="local: the directory (relative to the pipeline file), served at "
                    "storage_url.")
    storage_url: str | None = Field(
        default=None, pattern=r"^https?://",
        description="local: the address the directory is served at; default: file: URLs.")


def make_storage(options: StorageOptions, settings: Settings,
                 base: Path | None = None) -> Storage | None:
    """The storage OPTIONS name, None when the target keeps the files itself."""
    choice = options.storage
    bucket = options.s3_bucket or settings.s3_bucket
    if choice in ("none", "ckan") or (choice == "auto" and not bucket):
        return None
    if choice == "local":
        if not options.storage_path:
            raise SpecError("storage: local needs a directory", where="target.storage_path")
        from publisher.storage.local import LocalStorage

        root = Path(options.storage_path)
        if not root.is_absolute() and base is not None:
            root = base / root
        return LocalStorage(root, public_url=options.storage_url)
    if not bucket:
        raise SpecError("storage: s3 needs a bucket", where="target.s3_bucket",
                        hint="set target.s3_bucket or PUBLISHER_S3_BUCKET")
    from publisher.storage.s3 import S3Storage, make_client

    secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
    access = settings.s3_access_key.get_secret_value() if settings.s3_access_key else None
    client = make_client(settings.s3_endpoint, access, secret, settings.s3_region)
    return S3Storage(client, bucket, public_url=settings.s3_public_url)
