"""Which of the pinned official files a conformance directory holds, and whether
each is the published one (its SHA-256 matches the pin)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from publisher.conformance.pins import FILES, PinnedFile


class State(StrEnum):
    VERIFIED = "verified"
    MISSING = "missing"
    ALTERED = "altered"  # present, but not the bytes the pin names


@dataclass(frozen=True)
class FileStatus:
    path: str  # relative to the conformance directory
    state: State
    url: str

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "state": str(self.state)}


@dataclass(frozen=True)
class DirectoryStatus:
    directory: Path
    files: tuple[FileStatus, ...]

    @property
    def complete(self) -> bool:
        """Every pinned file present and verified: the official shapes can run."""
        return all(f.state is State.VERIFIED for f in self.files)

    def count(self, state: State) -> int:
        return sum(f.state is state for f in self.files)

    def summary(self) -> str:
        """Why the official shapes can (not) run, without the directory's path."""
        if self.complete:
            return f"all {len(self.files)} official files present and verified"
        parts = [f"{self.count(s)} {s}" for s in (State.MISSING, State.ALTERED) if self.count(s)]
        return f"{', '.join(parts)} of {len(self.files)} official files"

    def to_dict(self) -> dict[str, Any]:
        return {"directory": str(self.directory), "complete": self.complete,
                "files": [f.to_dict() for f in self.files]}


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def file_state(directory: Path, pin: PinnedFile) -> State:
    path = directory / pin.local
    try:
        if not path.is_file():
            return State.MISSING
        if path.stat().st_size != pin.bytes or file_sha256(path) != pin.sha256:
            return State.ALTERED
    except OSError:
        return State.MISSING
    return State.VERIFIED


def directory_status(directory: Path) -> DirectoryStatus:
    return DirectoryStatus(directory, tuple(
        FileStatus(pin.local, file_state(directory, pin), pin.url()) for pin in FILES))
