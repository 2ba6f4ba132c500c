"""One harvest run: read the source's changes, write them to the sink, propagate
deletions, remember the watermark. A record that fails (mapping or writing)
is reported and skipped; only an unreachable source ends the run.

State (per source and target) lives in <home>/harvest/<key>.json: the
watermark and, per source id, the target name and the record's fingerprint, so
unchanged records are not written again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import ckanapi

from publisher.errors import PublisherError
from publisher.harvest import dcat_source
from publisher.harvest.ckan_source import CkanSource, map_package
from publisher.harvest.model import HarvestRecord, HarvestReport, Skipped
from publisher.harvest.sinks import Sink


class HarvestState:
    def __init__(self, path: Path):
        self.path = path
        data: dict[str, Any] = {}
        if path.is_file():
            data = json.loads(path.read_text(encoding="utf-8"))
        self.watermark: str | None = data.get("watermark")
        self.records: dict[str, dict[str, str]] = data.get("records", {})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"watermark": self.watermark, "records": self.records},
                                  indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.path)


def state_path(home: Path, source: str, sink: Sink) -> Path:
    key = hashlib.sha256(f"{source}\0{sink.label}".encode()).hexdigest()[:16]
    return home / "harvest" / f"{key}.json"


def _write(record: HarvestRecord, sink: Sink, state: HarvestState, source: str,
           report: HarvestReport, strict: bool = False) -> None:
    _sink_losses(record, sink, report)
    accounts = report.record(record.name)
    lost = accounts.dropped() if accounts is not None else []
    if strict and lost:
        item, change = lost[0]
        report.skipped.append(Skipped(
            id=record.source_id, reason=f"--strict: it would lose {len(lost)} value(s), "
                                        f"e.g. from {item.kind} {item.id}: {change.line()}"))
        return
    fingerprint = record.fingerprint()
    known = state.records.get(record.source_id)
    try:
        if known and known["fingerprint"] == fingerprint and sink.has(record.name):
            report.unchanged += 1
            return
        changed = sink.upsert(record, source)
    except (PublisherError, ckanapi.CKANAPIError, OSError) as exc:
        report.skipped.append(Skipped(id=record.source_id, reason=str(exc)))
        return
    state.records[record.source_id] = {"name": record.name, "fingerprint": fingerprint}
    if not changed:
        report.unchanged += 1
    elif known:
        report.updated.append(record.name)
    else:
        report.added.append(record.name)


def _sink_losses(record: HarvestRecord, sink: Sink, report: HarvestReport) -> None:
    """What the sink cannot hold of the record, into the record's accounts."""
    accounts = report.record(record.name)
    if accounts is None:
        return
    for kind, item_id, change in sink.dropped(record):
        item = next((i for i in accounts.items() if i.kind == kind and i.id == item_id),
                    accounts.dataset)
        item.dropped.append(change)


def _delete(source_id: str, sink: Sink, state: HarvestState, report: HarvestReport) -> None:
    name = state.records[source_id]["name"]
    try:
        sink.delete(name)
    except (PublisherError, ckanapi.CKANAPIError, OSError) as exc:
        report.skipped.append(Skipped(id=source_id, reason=f"deletion failed: {exc}"))
        return
    del state.records[source_id]
    report.deleted.append(name)


def harvest_ckan(source: CkanSource, sink: Sink, state: HarvestState, *, prefix: str = "",
                 full: bool = False, strict: bool = False) -> HarvestReport:
    report = HarvestReport(source=source.url, target=sink.label,
                           mode="full" if full or not state.watermark else "incremental")
    public = source.names()  # read first: a dataset changed after this shows up next run
    watermark = state.watermark
    handled: set[str] = set()
    for package in source.changed(None if full else state.watermark):
        name = str(package.get("name"))
        if name not in public:
            continue  # changed after package_list, or private: the next run sees it
        handled.add(name)
        _map_and_write(package, prefix, sink, state, source.url, report, strict)
        stamp = package.get("metadata_modified")
        if stamp and (watermark is None or stamp > watermark):
            watermark = stamp
    for name in sorted(public - handled - set(state.records)):
        shown = source.show(name)  # made public later: CKAN kept its old modified time
        if shown is not None:
            _map_and_write(shown, prefix, sink, state, source.url, report, strict)
    for source_id in sorted(set(state.records) - public):
        _delete(source_id, sink, state, report)
    state.watermark = watermark
    state.save()
    return report


def _map_and_write(package: dict[str, Any], prefix: str, sink: Sink, state: HarvestState,
                   source: str, report: HarvestReport, strict: bool) -> None:
    try:
        record = map_package(package, prefix, report, base=source)
    except Exception as exc:  # one bad record is skipped, never fatal
        reason = exc.message if isinstance(exc, PublisherError) else type(exc).__name__
        report.skipped.append(Skipped(id=str(package.get("name") or package.get("id")),
                                      reason=reason))
        return
    _write(record, sink, state, source, report, strict)


def harvest_dcat(location: str, sink: Sink, state: HarvestState, *, prefix: str = "",
                 full: bool = False, max_pages: int = dcat_source.MAX_PAGES,
                 strict: bool = False) -> HarvestReport:
    incremental = not full and state.watermark is not None and "://" in location
    report = HarvestReport(source=location, target=sink.label,
                           mode="incremental" if incremental else "full")
    seen: set[str] = set()
    watermark = state.watermark
    for page in dcat_source.pages(location, report, state.watermark if incremental else None,
                                  max_pages=max_pages):
        for record in page.records:
            accounts = report.record(record.name)
            record.name = f"{prefix}{record.name}"[:100]
            if accounts is not None:
                accounts.name = record.name
            seen.add(record.source_id)
            _write(record, sink, state, location, report, strict)
            stamp = page.stamps.get(record.source_id)
            if stamp and (watermark is None or stamp > watermark):
                watermark = stamp
        for source_id in page.tombstones:
            if source_id in state.records:
                _delete(source_id, sink, state, report)
    seen.update(s.id for s in report.skipped)  # unreadable now is not deleted
    if not incremental and report.complete:  # what was not read is not gone
        for source_id in sorted(set(state.records) - seen):
            _delete(source_id, sink, state, report)
    state.watermark = watermark
    state.save()
    return report
