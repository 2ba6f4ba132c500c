"""The bundle's manifest: what a handover holds, with a checksum per file.

The manifest is the one file the checksums do not cover (it holds them); the
handover command prints its SHA-256 so the receiving office can compare it
through another channel (`verify --expect`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from publisher.errors import InputError, UnsafePathError

FORMAT = "publisher-handover"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CATALOG = "catalog.ttl"


def check_relpath(path: str) -> str:
    """A bundle path: relative POSIX, no `..`, no empty segment, no backslash."""
    parts = path.split("/")
    if (not path or path.startswith("/") or "\\" in path or "\0" in path
            or any(p in ("", ".", "..") for p in parts) or ":" in parts[0]):
        raise ValueError(f"unsafe bundle path {path!r}")
    return path


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class FileEntry(_Model):
    path: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    bytes: int = Field(ge=0)

    @field_validator("path")
    @classmethod
    def _safe_path(cls, value: str) -> str:
        return check_relpath(value)


class VersionEntry(_Model):
    version: int = Field(ge=1)
    published_at: str
    content_hash: str
    path: str  # the version directory, e.g. datasets/<name>/v<N>


class DatasetEntry(_Model):
    name: str
    title: str
    uri: str
    public: bool
    latest: int
    versions: list[VersionEntry]
    dcat: list[str]  # DCAT-AP.de of the latest version: Turtle and JSON-LD
    runs: list[str]  # run ids


class RunEntry(_Model):
    run_id: str
    pipeline: str
    dataset: str
    version: int
    status: str
    path: str  # runs/<run_id>


class LeftOut(_Model):
    name: str
    reason: str


class CatalogueInfo(_Model):
    title: str
    publisher: str
    base_url: str


class Manifest(_Model):
    format: Literal["publisher-handover"]
    format_version: Literal[1]
    created: str
    catalogue: CatalogueInfo
    options: dict[str, Any] = Field(default_factory=dict)
    datasets: list[DatasetEntry]
    runs: list[RunEntry] = Field(default_factory=list)
    left_out: list[LeftOut] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    files: list[FileEntry]

    def to_bytes(self) -> bytes:
        return (json.dumps(self.model_dump(), ensure_ascii=False, indent=2) + "\n").encode()


def parse_manifest(data: bytes, where: str) -> Manifest:
    """The manifest, or InputError (exit 2) saying why the bundle cannot be read."""
    hint = "the bundle is damaged or not a handover bundle; ask for a new copy"
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"the manifest is not valid JSON ({type(exc).__name__})",
                         where=where, hint=hint) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise InputError(f"the manifest is not a {FORMAT} manifest", where=where, hint=hint)
    if raw.get("format_version") != FORMAT_VERSION:
        raise InputError(f"bundle format version {raw.get('format_version')!r} is not "
                         f"supported (this publisher reads version {FORMAT_VERSION})",
                         where=where, hint="verify with the publisher that wrote the bundle")
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        if any("unsafe bundle path" in str(e.get("msg", "")) for e in exc.errors()):
            raise UnsafePathError("the manifest names a file outside the bundle",
                                  where=where, hint=hint) from None
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors()[:5])
        raise InputError(f"the manifest does not match the bundle format: {problems}",
                         where=where, hint=hint) from None
    seen: set[str] = set()
    for entry in manifest.files:
        if entry.path in seen or entry.path == MANIFEST:
            raise InputError(f"the manifest lists {entry.path!r} twice or lists itself",
                             where=where, hint=hint)
        seen.add(entry.path)
    return manifest


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
