"""Files in a local directory (tests, and sites that serve a directory)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from urllib.parse import quote

from publisher.errors import TerminalError
from publisher.faults import reached
from publisher.storage.base import Storage, StoredObject, Swept


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


class LocalStorage(Storage):
    type = "local"

    def __init__(self, root: Path, *, public_url: str | None = None):
        self.root = root
        self.public_url = public_url.rstrip("/") if public_url else None

    def url(self, key: str) -> str:
        if self.public_url:  # a web server serves the directory
            return f"{self.public_url}/{quote(key)}"
        return (self.root / key).resolve().as_uri()

    def put(self, key: str, path: Path, sha256: str, size: int) -> StoredObject:
        dest = self.root / key
        if dest.is_file() and dest.stat().st_size == size and file_sha256(dest) == sha256:
            return StoredObject(key, self.url(key), uploaded=False, bytes_sent=0)
        tmp = dest.with_name(f".{dest.name}.part")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, tmp)
            tmp.replace(dest)
            reached("storage-object-stored")
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise TerminalError(f"cannot store the file: {exc.strerror}", where=str(dest)) from None
        return StoredObject(key, self.url(key), uploaded=True, bytes_sent=size)

    def sweep(self, prefix: str, keep: set[str]) -> Swept:
        swept = Swept()
        base = self.root / prefix
        if not base.is_dir():
            return swept
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            key = path.relative_to(self.root).as_posix()
            if path.name.startswith(".") and path.name.endswith(".part"):
                path.unlink(missing_ok=True)  # a copy interrupted by a crash
                swept.uploads += 1
            elif key not in keep:
                path.unlink(missing_ok=True)
                swept.objects.append(key)
        for folder in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
        return swept
