"""Object storage behind one small interface: local directory, S3.

Objects are addressed by content (the key holds the file's sha256), so a put
of a file already stored is a no-op and an interrupted upload resumes. After a
publish, `sweep` removes what no resource points at any more under the
dataset's prefix: objects of replaced versions, objects uploaded by a run that
was killed before the catalogue referenced them, unfinished multipart uploads.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar


@dataclass(frozen=True)
class StoredObject:
    key: str
    url: str
    uploaded: bool  # False when the object was already there
    bytes_sent: int


def content_key(prefix: str, dataset: str, sha256: str, relative: str) -> str:
    """<prefix><dataset>/<first 16 hex of sha256>/<file name>."""
    name = relative.rsplit("/", 1)[-1]
    return f"{prefix}{dataset}/{sha256[:16]}/{name}"


@dataclass
class Swept:
    objects: list[str] = field(default_factory=list)  # keys removed
    uploads: int = 0  # unfinished multipart uploads aborted


def dataset_prefix(prefix: str, dataset: str) -> str:
    """Where content_key puts a dataset's objects (with the closing slash, so
    dataset `a` never sweeps `a-b`)."""
    return f"{prefix}{dataset}/"


class Storage(ABC):
    type: ClassVar[str]

    @abstractmethod
    def put(self, key: str, path: Path, sha256: str, size: int) -> StoredObject:
        """Store the file under key unless an object with this sha256 is there."""

    @abstractmethod
    def url(self, key: str) -> str:
        """Where the object can be read."""

    @abstractmethod
    def sweep(self, prefix: str, keep: set[str]) -> Swept:
        """Remove every object under PREFIX whose key is not in KEEP, and every
        unfinished upload under PREFIX. Assumes one publisher per dataset at a time."""
