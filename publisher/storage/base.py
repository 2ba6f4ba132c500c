"""Object storage behind one small interface: local directory, S3.

Objects are addressed by content (the key holds the file's sha256), so a put
of a file already stored is a no-op and an interrupted upload resumes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
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


class Storage(ABC):
    type: ClassVar[str]

    @abstractmethod
    def put(self, key: str, path: Path, sha256: str, size: int) -> StoredObject:
        """Store the file under key unless an object with this sha256 is there."""

    @abstractmethod
    def url(self, key: str) -> str:
        """Where the object can be read."""
