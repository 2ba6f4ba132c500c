"""The local catalogue store: SQLite for metadata, a directory for files. The
local publish target (publisher.targets.local) and the harvester's local sink
write versions into it; the API, the pages, the handover and `catalog list`
read it.

Layout under the catalogue directory:

    catalog.sqlite
    datasets/<name>/v<N>/datapackage.json, data/..., reports/<stage>.json

A version directory is written under a temporary name and renamed into place
before its row is committed, so a crash never leaves a half-published
version visible: a directory without a row is an orphan, removed by the next
publish of the dataset (as is a temporary directory left by a crash).

Beside the versions, a `state` row per dataset keeps what harvesters and the
API need: a modification time that also moves on a visibility change or a
deletion, whether the dataset is public (and ever was), and a tombstone
(`deleted_at`) kept until it is purged after the retention period.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from publisher.errors import TerminalError
from publisher.faults import reached
from publisher.package.staged import StagedFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    dataset TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    published_at TEXT NOT NULL,
    metadata TEXT NOT NULL,
    files TEXT NOT NULL,
    reports TEXT NOT NULL,
    PRIMARY KEY (dataset, version)
);
CREATE TABLE IF NOT EXISTS state (
    dataset TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    public INTEGER NOT NULL DEFAULT 1,
    ever_public INTEGER NOT NULL DEFAULT 1,
    deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS state_modified ON state (modified, dataset);
-- catalogues written before the state table: every dataset public, modified at
-- its latest version
INSERT OR IGNORE INTO state (dataset, modified)
    SELECT dataset, MAX(published_at) FROM versions GROUP BY dataset;
"""


_VERSION_DIR = re.compile(r"v[0-9]+|\.v[0-9]+\.tmp")


def now_stamp() -> str:
    """UTC with microseconds: sorts as text, and orders changes in one second."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass
class NewVersion:
    """What a new version holds: the staged files (data files and
    datapackage.json, relative to `staged_dir`) and the reports beside them."""

    dataset: str
    metadata: dict[str, Any]
    content_hash: str
    staged_dir: Path | None = None
    files: list[StagedFile] = field(default_factory=list)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredVersion:
    """What `CatalogStore.add` did: the version that holds the content (a new
    one when `changed`), where it lies, and its files' paths."""

    version: int
    changed: bool
    version_dir: Path
    files: list[str]


@dataclass
class DatasetRecord:
    """A dataset with its latest version, as `catalog list` shows it."""

    name: str
    title: str
    version: int
    published_at: str
    content_hash: str
    files: list[str]
    reports: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CatalogEntry:
    """The latest version of a dataset with its state, as the API reads it."""

    name: str
    title: str
    version: int
    published_at: str
    content_hash: str
    metadata: dict[str, Any]
    files: list[str]  # relative to version_dir
    version_dir: Path
    modified: str
    public: bool
    ever_public: bool
    deleted_at: str | None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class CatalogStore:
    def __init__(self, root: Path):
        self.root = root
        self.db_path = root / "catalog.sqlite"
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.db_path)
        except (OSError, sqlite3.Error) as exc:
            raise TerminalError(f"cannot open the local catalogue: {exc}",
                                where=str(self.db_path)) from None
        try:
            if not self._ready:
                conn.executescript(_SCHEMA)
                self._ready = True
            with conn:
                yield conn
        finally:
            conn.close()

    def _latest(self, conn: sqlite3.Connection, dataset: str) -> tuple[int, str] | None:
        row = conn.execute(
            "SELECT version, content_hash FROM versions WHERE dataset = ? "
            "ORDER BY version DESC LIMIT 1", (dataset,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def add(self, request: NewVersion) -> StoredVersion:
        """Add a version, unless the latest (not withdrawn) holds this content."""
        with self._db() as conn:
            self._sweep(conn, request.dataset)
            latest = self._latest(conn, request.dataset)
            deleted = self._is_deleted(conn, request.dataset)
            if latest and latest[1] == request.content_hash and not deleted:
                version_dir = self._version_dir(request.dataset, latest[0])
                return StoredVersion(latest[0], False, version_dir,
                                     self._file_paths(version_dir, request))
            version = (latest[0] if latest else 0) + 1
            version_dir = self._version_dir(request.dataset, version)
            self._write_version(version_dir, request)
            files = self._file_paths(version_dir, request)
            reports = sorted(f"reports/{name}.json" for name in request.reports)
            try:
                conn.execute(
                    "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (request.dataset, version, str(request.metadata.get("title", "")),
                     request.content_hash, datetime.now(UTC).isoformat(timespec="seconds"),
                     json.dumps(request.metadata, ensure_ascii=False),
                     json.dumps([f.path for f in request.files]), json.dumps(reports)))
                conn.execute(
                    "INSERT INTO state (dataset, modified) VALUES (?, ?) ON CONFLICT (dataset) "
                    "DO UPDATE SET modified = excluded.modified, deleted_at = NULL",
                    (request.dataset, now_stamp()))
                reached("local-rows-written")
            except sqlite3.Error as exc:
                shutil.rmtree(version_dir, ignore_errors=True)
                raise TerminalError(f"cannot record the new version: {exc}",
                                    where=str(self.db_path)) from None
        return StoredVersion(version, True, version_dir, files)

    def _sweep(self, conn: sqlite3.Connection, dataset: str) -> None:
        """Remove what a crashed publish left: temporary version directories and
        version directories without a row (never visible: readers go by the rows)."""
        folder = self.root / "datasets" / dataset
        if not folder.is_dir():
            return
        known = {f"v{v}" for (v,) in conn.execute(
            "SELECT version FROM versions WHERE dataset = ?", (dataset,))}
        for path in folder.iterdir():
            if path.is_dir() and path.name not in known and _VERSION_DIR.fullmatch(path.name):
                shutil.rmtree(path, ignore_errors=True)

    def _version_dir(self, dataset: str, version: int) -> Path:
        return self.root / "datasets" / dataset / f"v{version}"

    @staticmethod
    def _file_paths(version_dir: Path, request: NewVersion) -> list[str]:
        return [str(version_dir / f.path) for f in request.files]

    def _write_version(self, version_dir: Path, request: NewVersion) -> None:
        tmp = version_dir.with_name(f".{version_dir.name}.tmp")
        for stale in (tmp, version_dir):  # left by a crash before the row was written
            shutil.rmtree(stale, ignore_errors=True)
        try:
            for f in request.files:
                assert request.staged_dir is not None  # files come from a staged directory
                dest = tmp / f.path
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(request.staged_dir / f.path, dest)
            (tmp / "reports").mkdir(parents=True, exist_ok=True)
            for name, report in request.reports.items():
                (tmp / "reports" / f"{name}.json").write_text(
                    json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            reached("local-files-written")
            tmp.rename(version_dir)
            reached("local-version-renamed")
        except OSError as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            raise TerminalError(f"cannot write the new version: {exc}",
                                where=str(version_dir)) from None

    def datasets(self) -> list[DatasetRecord]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT dataset, version, title, published_at, content_hash, files, reports "
                "FROM versions v WHERE version = "
                "(SELECT MAX(version) FROM versions WHERE dataset = v.dataset) "
                "AND dataset NOT IN (SELECT dataset FROM state WHERE deleted_at IS NOT NULL) "
                "ORDER BY dataset").fetchall()
        records = []
        for name, version, title, published_at, chash, files, reports in rows:
            vdir = self._version_dir(name, int(version))
            records.append(DatasetRecord(
                name=name, title=title, version=int(version), published_at=published_at,
                content_hash=chash, files=[str(vdir / p) for p in json.loads(files)],
                reports=[str(vdir / p) for p in json.loads(reports)]))
        return records

    def versions(self, dataset: str) -> list[dict[str, Any]]:
        with self._db() as conn:
            rows = conn.execute(
                "SELECT version, published_at, content_hash FROM versions WHERE dataset = ? "
                "ORDER BY version", (dataset,)).fetchall()
        return [{"version": v, "published_at": p, "content_hash": h} for v, p, h in rows]

    # --- state: what the API and harvesters need -------------------------------------

    @staticmethod
    def _is_deleted(conn: sqlite3.Connection, dataset: str) -> bool:
        row = conn.execute("SELECT deleted_at FROM state WHERE dataset = ?", (dataset,)).fetchone()
        return bool(row and row[0])

    def entries(self, names: list[str] | None = None) -> list[CatalogEntry]:
        """Latest version and state of every dataset (or of NAMES), tombstones
        included, ordered by name; the caller decides what a reader may see."""
        query = (
            "SELECT v.dataset, v.version, v.title, v.published_at, v.content_hash, v.metadata, "
            "v.files, s.modified, s.public, s.ever_public, s.deleted_at "
            "FROM versions v JOIN state s ON s.dataset = v.dataset WHERE v.version = "
            "(SELECT MAX(version) FROM versions WHERE dataset = v.dataset)")
        params: list[str] = []
        if names is not None:
            query += f" AND v.dataset IN ({','.join('?' * len(names))})"
            params = list(names)
        with self._db() as conn:
            rows = conn.execute(query + " ORDER BY v.dataset", params).fetchall()
        return [CatalogEntry(
            name=name, title=title, version=int(version), published_at=published_at,
            content_hash=chash, metadata=json.loads(metadata), files=json.loads(files),
            version_dir=self._version_dir(name, int(version)), modified=modified,
            public=bool(public), ever_public=bool(ever_public), deleted_at=deleted_at)
            for (name, version, title, published_at, chash, metadata, files, modified, public,
                 ever_public, deleted_at) in rows]

    def entry(self, name: str) -> CatalogEntry | None:
        found = self.entries([name])
        return found[0] if found else None

    def _change_state(self, name: str, sql: str, *params: object) -> None:
        with self._db() as conn:
            cur = conn.execute(f"UPDATE state SET modified = ?, {sql} WHERE dataset = ?",
                               (now_stamp(), *params, name))
            if cur.rowcount == 0:
                raise TerminalError(f"no dataset named '{name}' in the local catalogue",
                                    where=str(self.db_path))

    def set_public(self, name: str, public: bool) -> None:
        """Make a dataset public or private; either way its modification time moves,
        so incremental harvesters see the change."""
        if public:
            self._change_state(name, "public = 1, ever_public = 1")
        else:
            self._change_state(name, "public = 0")

    def delete(self, name: str) -> None:
        """Withdraw a dataset: its versions stay on disk, a tombstone is kept."""
        self._change_state(name, "deleted_at = ?", now_stamp())

    def purge(self, name: str) -> None:
        """Withdraw a dataset and delete its files (every version). Its rows stay
        for the tombstone that harvesters see until the retention period ends
        (`purge_tombstones`); a later publish starts a new version."""
        self._change_state(name, "deleted_at = COALESCE(deleted_at, ?)", now_stamp())
        shutil.rmtree(self.root / "datasets" / name, ignore_errors=True)

    def purge_tombstones(self, before: str) -> list[str]:
        """Forget datasets deleted before BEFORE (an ISO time): rows and files."""
        with self._db() as conn:
            names = [r[0] for r in conn.execute(
                "SELECT dataset FROM state WHERE deleted_at IS NOT NULL AND deleted_at < ?",
                (before,))]
            for name in names:
                conn.execute("DELETE FROM versions WHERE dataset = ?", (name,))
                conn.execute("DELETE FROM state WHERE dataset = ?", (name,))
        for name in names:
            shutil.rmtree(self.root / "datasets" / name, ignore_errors=True)
        return names
