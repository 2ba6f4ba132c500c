"""A file of a staged package: what the writer produces and what metadata and
targets read (its place, its sha256 and its size)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StagedFile:
    path: str  # relative to the staged directory, POSIX separators
    sha256: str
    bytes: int
