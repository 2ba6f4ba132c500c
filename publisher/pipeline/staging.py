"""Stage the anonymised package in a directory and fingerprint its content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from publisher.package.model import Package
from publisher.package.writer import write_package
from publisher.targets.base import StagedFile


def stage(package: Package, out_dir: Path) -> list[StagedFile]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_package(package, out_dir)


def content_hash(files: list[StagedFile], metadata: dict[str, Any]) -> str:
    """Fingerprint of what a publication holds: the files and the dataset
    metadata. Reports and timestamps are left out on purpose, so publishing
    an unchanged package again is recognised as unchanged."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path):
        digest.update(f"{f.path}\0{f.sha256}\n".encode())
    digest.update(json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()
