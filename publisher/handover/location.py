"""Where a bundle lives: a local directory or an `s3://bucket/prefix` address.

Reading goes through one small interface (list, read, hash) so `verify`
works the same on both. Writing always builds the bundle in a local staging
directory first; `commit` then moves it into place (a rename) or uploads it
with the manifest last, so an interrupted handover never leaves a bundle with
a manifest that could verify.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from publisher.errors import InputError, PublisherError, TerminalError
from publisher.handover.manifest import MANIFEST
from publisher.settings import Settings
from publisher.storage.local import file_sha256
from publisher.storage.s3 import S3Storage, classify_error, make_client

CHUNK = 1 << 20


@dataclass(frozen=True)
class S3Address:
    bucket: str
    prefix: str  # "" or ending in "/"

    def __str__(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


Location = Path | S3Address


def parse_location(text: str) -> Location:
    if not text.lower().startswith("s3://"):
        return Path(text)
    bucket, _, prefix = text[5:].partition("/")
    if not bucket:
        raise InputError("an S3 address needs a bucket: s3://BUCKET/PREFIX", where=text)
    prefix = prefix.strip("/")
    return S3Address(bucket, f"{prefix}/" if prefix else "")


class BundleStore(Protocol):
    label: str

    def listing(self) -> dict[str, int]:
        """Every file under the bundle root (relative path -> bytes)."""

    def read(self, path: str) -> bytes: ...

    def sha256(self, path: str) -> str: ...


class LocalStore:
    def __init__(self, root: Path):
        self.root = root
        self.label = str(root)

    def listing(self) -> dict[str, int]:
        if not self.root.is_dir():
            raise InputError("no bundle directory here", where=self.label,
                             hint="give the directory `publisher handover --out` wrote")
        found: dict[str, int] = {}
        for top, dirs, files in os.walk(self.root):
            dirs.sort()
            for name in files:
                path = Path(top) / name
                rel = path.relative_to(self.root).as_posix()
                # a link is listed (so it counts as extra) but never followed
                found[rel] = path.lstat().st_size if path.is_symlink() else path.stat().st_size
        return found

    def _path(self, rel: str) -> Path:
        path = self.root / rel
        if path.is_symlink():
            raise OSError(f"{rel} is a symbolic link")
        return path

    def read(self, path: str) -> bytes:
        return self._path(path).read_bytes()

    def sha256(self, path: str) -> str:
        return file_sha256(self._path(path))


def s3_client(settings: Settings) -> Any:
    def secret(value: Any) -> str | None:
        return value.get_secret_value() if value is not None else None

    return make_client(settings.s3_endpoint, secret(settings.s3_access_key),
                       secret(settings.s3_secret_key), settings.s3_region)


class S3Store:
    def __init__(self, client: Any, address: S3Address):
        self.client, self.address = client, address
        self.label = str(address)

    def _call(self, key: str, action: str, **params: Any) -> Any:
        try:
            return getattr(self.client, action)(Bucket=self.address.bucket, **params)
        except PublisherError:
            raise
        except Exception as exc:  # botocore errors
            raise classify_error(exc, f"s3://{self.address.bucket}/{key}") from None

    def keys(self) -> Iterator[tuple[str, int]]:
        token: str | None = None
        while True:
            params: dict[str, Any] = {"Prefix": self.address.prefix}
            if token:
                params["ContinuationToken"] = token
            page = self._call(self.address.prefix, "list_objects_v2", **params)
            for item in page.get("Contents", []):
                yield str(item["Key"]), int(item.get("Size", 0))
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return

    def listing(self) -> dict[str, int]:
        cut = len(self.address.prefix)
        return {key[cut:]: size for key, size in self.keys() if not key.endswith("/")}

    def _body(self, path: str) -> Any:
        key = self.address.prefix + path
        return self._call(key, "get_object", Key=key)["Body"]

    def read(self, path: str) -> bytes:
        return bytes(self._body(path).read())

    def sha256(self, path: str) -> str:
        digest = hashlib.sha256()
        for chunk in self._body(path).iter_chunks(CHUNK):
            digest.update(chunk)
        return digest.hexdigest()

    def delete_all(self) -> None:
        """Remove a bundle: its manifest first, so what is left never verifies."""
        keys = [key for key, _ in self.keys()]
        manifest = self.address.prefix + MANIFEST
        if manifest in keys:
            self._call(manifest, "delete_object", Key=manifest)
            keys.remove(manifest)
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start:start + 1000]]
            self._call(self.address.prefix, "delete_objects", Delete={"Objects": batch})

    def upload(self, staging: Path, files: list[tuple[str, str, int]]) -> None:
        """Upload (path, sha256, bytes) from STAGING, then the manifest."""
        storage = S3Storage(self.client, self.address.bucket)
        for rel, digest, size in files:
            storage.put(self.address.prefix + rel, staging / rel, digest, size)
        manifest = staging / MANIFEST
        storage.put(self.address.prefix + MANIFEST, manifest, file_sha256(manifest),
                    manifest.stat().st_size)


def open_store(location: Location, settings: Settings) -> BundleStore:
    if isinstance(location, S3Address):
        return S3Store(s3_client(settings), location)
    return LocalStore(location)


# --- writing --------------------------------------------------------------------


def prepare(location: Location, settings: Settings, *, force: bool) -> None:
    """Refuse an occupied destination before any work, unless FORCE."""
    if isinstance(location, S3Address):
        store = S3Store(s3_client(settings), location)
        occupied = next(store.keys(), None) is not None
    else:
        occupied = location.exists() and (not location.is_dir() or any(location.iterdir()))
        if location.exists() and not location.is_dir():
            raise InputError("the destination is a file, not a directory", where=str(location))
    if occupied and not force:
        raise InputError("the destination is not empty", where=str(location),
                         hint="choose a new place, or pass --force to replace what is there")


def staging_dir(location: Location) -> Path:
    """A fresh directory to build in: beside a local destination (so the final
    rename stays on one file system), else a temporary directory."""
    if isinstance(location, S3Address):
        import tempfile

        return Path(tempfile.mkdtemp(prefix="publisher-handover-"))
    parent = location.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        path = parent / f".{location.name}.partial-{secrets.token_hex(4)}"
        path.mkdir()
    except OSError as exc:
        raise TerminalError(f"cannot create the bundle directory: {exc.strerror}",
                            where=str(parent)) from None
    return path


def commit(staging: Path, location: Location, settings: Settings,
           files: list[tuple[str, str, int]], *, force: bool) -> None:
    """Put the finished bundle in STAGING into place."""
    if isinstance(location, S3Address):
        store = S3Store(s3_client(settings), location)
        try:
            if force:
                store.delete_all()
            store.upload(staging, files)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return
    old: Path | None = None
    try:
        if location.exists():
            if any(location.iterdir()):
                if not force:
                    raise InputError("the destination is not empty", where=str(location))
                old = location.with_name(f".{location.name}.old-{secrets.token_hex(4)}")
                location.rename(old)
            else:
                location.rmdir()
        staging.rename(location)
    except OSError as exc:
        if old is not None and not location.exists():
            old.rename(location)
        raise TerminalError(f"cannot move the bundle into place: {exc.strerror}",
                            where=str(location)) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
