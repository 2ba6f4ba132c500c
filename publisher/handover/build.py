"""Write a handover bundle of the local catalogue.

    manifest.json                      format, catalogue, datasets, runs, checksums
    catalog.ttl                        DCAT-AP.de catalogue of every dataset in the bundle
    datasets/<name>/v<N>/...           each version as published: data, datapackage.json,
                                       reports/ (audit.json, audit.html, summaries)
    datasets/<name>/dcat.ttl, .jsonld  DCAT-AP.de of the latest version
    runs/<run_id>/run-report.json      the runs that published those versions,
    runs/<run_id>/journal.jsonl        counts only (see runs.py)

Public, undeleted datasets of this publisher go in; private ones only with
`include_private`; tombstones and harvested records (other catalogues' data)
never. What is left out is named in the manifest.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from publisher.catalog.records import entry_metadata, served_uri
from publisher.catalog.store import CatalogEntry, CatalogStore
from publisher.errors import InputError, TerminalError
from publisher.handover import location as loc
from publisher.handover.manifest import (
    CATALOG,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    CatalogueInfo,
    DatasetEntry,
    FileEntry,
    LeftOut,
    Manifest,
    RunEntry,
    VersionEntry,
    sha256_hex,
)
from publisher.handover.runs import bundle_journal, bundle_report, find_runs
from publisher.metadata import DatasetMetadata, add_catalog, add_dataset, new_graph
from publisher.package.paths import is_safe_name
from publisher.pipeline.journal import RUN_REPORT
from publisher.settings import Settings

CATALOG_DESCRIPTION = "Übergabe der veröffentlichten (anonymisierten) offenen Daten."


@dataclass
class HandoverResult:
    location: str
    manifest_sha256: str
    manifest: Manifest
    bytes: int = field(default=0)

    def to_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "ok": True, "location": self.location, "manifest_sha256": self.manifest_sha256,
            "files": len(m.files), "bytes": self.bytes,
            "datasets": [{"name": d.name, "versions": [v.version for v in d.versions],
                          "runs": len(d.runs)} for d in m.datasets],
            "runs": len(m.runs), "left_out": [x.model_dump() for x in m.left_out],
            "warnings": m.warnings,
        }


class _Writer:
    """Files written into the staging directory, with their checksums."""

    def __init__(self, root: Path):
        self.root = root
        self.files: dict[str, tuple[str, int]] = {}

    def _dest(self, rel: str) -> Path:
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        return dest

    def write(self, rel: str, data: bytes) -> None:
        self._dest(rel).write_bytes(data)
        self.files[rel] = (sha256_hex(data), len(data))

    def copy(self, src: Path, rel: str) -> None:
        digest, size = hashlib.sha256(), 0
        with src.open("rb") as fin, self._dest(rel).open("wb") as fout:
            while block := fin.read(loc.CHUNK):
                digest.update(block)
                fout.write(block)
                size += len(block)
        self.files[rel] = (digest.hexdigest(), size)

    def copy_tree(self, src: Path, rel: str) -> None:
        for path in sorted(src.rglob("*")):
            if path.is_symlink():
                raise InputError("a published version holds a symbolic link", where=str(path))
            if path.is_file():
                self.copy(path, f"{rel}/{path.relative_to(src).as_posix()}")


def _select(entries: list[CatalogEntry], include_private: bool
            ) -> tuple[list[CatalogEntry], list[LeftOut]]:
    chosen, left = [], []
    for entry in entries:
        if entry.deleted:
            left.append(LeftOut(name=entry.name, reason="deleted (tombstone)"))
        elif not is_safe_name(entry.name):
            left.append(LeftOut(name=entry.name, reason="the name cannot be a directory name"))
        elif isinstance(entry.metadata.get("harvest"), dict):
            left.append(LeftOut(name=entry.name, reason="harvested from another catalogue"))
        elif not entry.public and not include_private:
            left.append(LeftOut(name=entry.name,
                                reason="not public (--include-private takes it)"))
        else:
            chosen.append(entry)
    return chosen, left


def write_handover(out: str, settings: Settings, *, all_versions: bool = True,
                   include_private: bool = False, base_url: str | None = None,
                   force: bool = False) -> HandoverResult:
    """Bundle the local catalogue of SETTINGS into OUT (a directory or s3:// address)."""
    location = loc.parse_location(out)
    target = CatalogStore(settings.catalog_dir)
    if not target.db_path.is_file():
        raise InputError("no local catalogue here", where=str(settings.catalog_dir),
                         hint="run the pipelines first, or pass --home")
    entries, left_out = _select(target.entries(), include_private)
    if not entries:
        raise InputError("the local catalogue holds no dataset to hand over",
                         where=str(settings.catalog_dir))
    loc.prepare(location, settings, force=force)
    base = (base_url or settings.public_url).rstrip("/")
    staging = loc.staging_dir(location)
    try:
        manifest = _build(_Writer(staging), target, entries, left_out, settings, base,
                          all_versions=all_versions, include_private=include_private)
        data = manifest.to_bytes()
        # the manifest is written last: a directory without it is never a bundle
        (staging / MANIFEST).write_bytes(data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = [(f.path, f.sha256, f.bytes) for f in manifest.files]
    loc.commit(staging, location, settings, files, force=force)
    return HandoverResult(str(location), sha256_hex(data), manifest,
                          bytes=sum(f.bytes for f in manifest.files))


def _build(writer: _Writer, target: CatalogStore, entries: list[CatalogEntry],
           left_out: list[LeftOut], settings: Settings, base: str, *,
           all_versions: bool, include_private: bool) -> Manifest:
    warnings: list[str] = []
    metas: list[DatasetMetadata] = []
    datasets: dict[str, dict[str, Any]] = {}
    for entry in entries:
        versions = _versions(writer, target, entry, all_versions)
        dcat: list[str] = []
        uri = served_uri(base, entry)
        try:
            meta = entry_metadata(base, entry)
        except Exception as exc:  # a record the DCAT mapping cannot take: say so, go on
            warnings.append(f"dataset {entry.name}: no DCAT metadata ({type(exc).__name__})")
        else:
            metas.append(meta)
            graph = new_graph()
            add_dataset(graph, meta)
            for suffix, fmt in (("ttl", "turtle"), ("jsonld", "json-ld")):
                rel = f"datasets/{entry.name}/dcat.{suffix}"
                writer.write(rel, graph.serialize(format=fmt).encode("utf-8"))
                dcat.append(rel)
            uri = meta.uri
        datasets[entry.name] = {"name": entry.name, "title": entry.title, "uri": uri,
                                "public": entry.public, "latest": entry.version,
                                "versions": versions, "dcat": dcat, "runs": []}

    wanted = {name: {v.version for v in d["versions"]} for name, d in datasets.items()}
    records, run_warnings = find_runs(settings.runs_dir, wanted)
    warnings += run_warnings
    runs = []
    for record in records:
        rel = f"runs/{record.run_id}"
        report = bundle_report(record, f"datasets/{record.dataset}/v{record.version}")
        writer.write(f"{rel}/{RUN_REPORT}", _json(report))
        journal = bundle_journal(record)
        if journal:
            writer.write(f"{rel}/journal.jsonl", journal)
        runs.append(RunEntry(run_id=record.run_id, pipeline=record.pipeline,
                             dataset=record.dataset, version=record.version,
                             status=record.status, path=rel))
        datasets[record.dataset]["runs"].append(record.run_id)

    graph = new_graph()
    for meta in metas:
        add_dataset(graph, meta)
    add_catalog(graph, f"{base}/catalog", settings.catalog_title, CATALOG_DESCRIPTION,
                settings.catalog_publisher, [m.uri for m in metas], homepage=base)
    writer.write(CATALOG, graph.serialize(format="turtle").encode("utf-8"))

    return Manifest(
        format=FORMAT, format_version=FORMAT_VERSION,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        catalogue=CatalogueInfo(title=settings.catalog_title,
                                publisher=settings.catalog_publisher, base_url=base),
        options={"all_versions": all_versions, "include_private": include_private},
        datasets=[DatasetEntry(**d) for d in datasets.values()], runs=runs,
        left_out=left_out, warnings=warnings,
        files=[FileEntry(path=p, sha256=s, bytes=b)
               for p, (s, b) in sorted(writer.files.items())])


def _versions(writer: _Writer, target: CatalogStore, entry: CatalogEntry,
              all_versions: bool) -> list[VersionEntry]:
    out = []
    for row in target.versions(entry.name):
        number = int(row["version"])
        if not all_versions and number != entry.version:
            continue
        src = entry.version_dir.parent / f"v{number}"
        if not src.is_dir():
            raise TerminalError(f"version {number} of dataset '{entry.name}' is in the "
                                "catalogue but its directory is missing", where=str(src),
                                hint="the local catalogue is damaged; restore it from backup")
        rel = f"datasets/{entry.name}/v{number}"
        writer.copy_tree(src, rel)
        out.append(VersionEntry(version=number, published_at=str(row["published_at"]),
                                content_hash=str(row["content_hash"]), path=rel))
    return out


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
