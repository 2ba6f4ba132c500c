"""Stage the anonymised package in a directory and fingerprint its content.

A run works in its own directory under `<home>/staging/` (0700): the source as
loaded (a zip unpacked, remote files fetched, so raw personal data) and the
staged output. The run holds an flock on `.lock` inside it while it lives; a
directory whose lock can be taken belongs to a run that is gone (SIGKILLed, the
machine lost power) and is removed when the next run starts. Creating and
removing happen under a lock on `<home>/staging/.lock`, so a directory is
never seen between its creation and its lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from publisher.errors import TerminalError
from publisher.package.model import Package
from publisher.package.readers import published
from publisher.package.staged import StagedFile
from publisher.package.writer import write_package
from publisher.passes import IN_PROCESS, Passes

STAGING = "staging"  # under the publisher home
LOCK = ".lock"
PREFIX = "run-"


@dataclass(frozen=True)
class RunDir:
    path: Path
    stale_removed: int  # directories of dead runs removed before this one began


def stage(package: Package, out_dir: Path, passes: Passes = IN_PROCESS) -> list[StagedFile]:
    """Write the package as published: each resource in the format its input
    format is published as (a sheet as CSV, a Shapefile as GeoPackage ...); a CSV
    file's records where PASSES write them (publisher.passes.Passes.write_ranges)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return write_package(published(package), out_dir, passes.write_ranges)


def content_hash(files: list[StagedFile], metadata: dict[str, Any]) -> str:
    """Fingerprint of what a publication holds: the files and the dataset
    metadata. Reports and timestamps are left out on purpose, so publishing
    an unchanged package again is recognised as unchanged."""
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.path):
        digest.update(f"{f.path}\0{f.sha256}\n".encode())
    digest.update(json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


@contextmanager
def run_dir(root: Path) -> Iterator[RunDir]:
    """A private working directory for one run under ROOT, removed at the end;
    first the directories of runs that are gone are removed."""
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        root.chmod(0o700)
        with (root / LOCK).open("ab") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)  # released when closed
            removed = _remove_stale(root)
            path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=root))
            own = _try_lock(path / LOCK)
    except OSError as exc:
        raise TerminalError(f"cannot prepare the run's staging directory: {exc.strerror}",
                            where=str(root), hint="check that the publisher home is "
                                                  "writable (PUBLISHER_HOME)") from None
    assert own is not None  # nobody else can hold the lock of a directory just made
    try:
        yield RunDir(path, removed)
    finally:
        shutil.rmtree(path, ignore_errors=True)
        own.close()


def _remove_stale(root: Path) -> int:
    """Remove the run directories whose lock can be taken. One without a lock
    file is stale too: runs create theirs under the root's lock, which the
    caller holds."""
    removed = 0
    for entry in sorted(root.glob(f"{PREFIX}*")):
        if entry.is_symlink() or not entry.is_dir():
            continue
        held = _try_lock(entry / LOCK)
        if held is None:  # a live run
            continue
        with held:
            shutil.rmtree(entry, ignore_errors=True)
        if not entry.exists():
            removed += 1
    return removed


def _try_lock(path: Path) -> IO[bytes] | None:
    """PATH (created if missing) opened and flocked, None when another open file
    holds its lock. Closing the file releases it."""
    fh = path.open("ab")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        return None
    return fh
