"""The embedded default catalogue: SQLite for metadata, a directory for files.

Layout under the catalogue directory:

    catalog.sqlite
    datasets/<name>/v<N>/datapackage.json, data/..., reports/<stage>.json

A version directory is written under a temporary name and renamed into place
before its row is committed, so a crash never leaves a half-published
version visible: a directory without a row is an orphan and is replaced.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from publisher.errors import TerminalError
from publisher.targets.base import DatasetRecord, PublishRequest, PublishResult, Target

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
"""


class LocalTarget(Target):
    type = "local"

    def __init__(self, root: Path):
        self.root = root
        self.db_path = root / "catalog.sqlite"

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.db_path)
        except (OSError, sqlite3.Error) as exc:
            raise TerminalError(f"cannot open the local catalogue: {exc}",
                                where=str(self.db_path)) from None
        try:
            conn.execute(_SCHEMA)
            with conn:
                yield conn
        finally:
            conn.close()

    def _latest(self, conn: sqlite3.Connection, dataset: str) -> tuple[int, str] | None:
        row = conn.execute(
            "SELECT version, content_hash FROM versions WHERE dataset = ? "
            "ORDER BY version DESC LIMIT 1", (dataset,)).fetchone()
        return (int(row[0]), str(row[1])) if row else None

    def publish(self, request: PublishRequest) -> PublishResult:
        with self._db() as conn:
            latest = self._latest(conn, request.dataset)
            if latest and latest[1] == request.content_hash:
                version_dir = self._version_dir(request.dataset, latest[0])
                return PublishResult(
                    dataset=request.dataset, version=latest[0], changed=False,
                    location=str(version_dir), files=self._file_paths(version_dir, request),
                    message=f"unchanged: version {latest[0]} already holds this content")
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
            except sqlite3.Error as exc:
                shutil.rmtree(version_dir, ignore_errors=True)
                raise TerminalError(f"cannot record the new version: {exc}",
                                    where=str(self.db_path)) from None
        verb = "published" if version == 1 else "published a new version"
        return PublishResult(dataset=request.dataset, version=version, changed=True,
                             location=str(version_dir), files=files,
                             message=f"{verb}: version {version}")

    def _version_dir(self, dataset: str, version: int) -> Path:
        return self.root / "datasets" / dataset / f"v{version}"

    @staticmethod
    def _file_paths(version_dir: Path, request: PublishRequest) -> list[str]:
        return [str(version_dir / f.path) for f in request.files]

    def _write_version(self, version_dir: Path, request: PublishRequest) -> None:
        tmp = version_dir.with_name(f".{version_dir.name}.tmp")
        for stale in (tmp, version_dir):  # left by a crash before the row was written
            shutil.rmtree(stale, ignore_errors=True)
        try:
            for f in request.files:
                dest = tmp / f.path
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(request.staged_dir / f.path, dest)
            (tmp / "reports").mkdir(parents=True, exist_ok=True)
            for name, report in request.reports.items():
                (tmp / "reports" / f"{name}.json").write_text(
                    json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            tmp.rename(version_dir)
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
