"""Shared by the rules that find direct identifiers in text cells (RULES.md section 1).

A resource is scanned once for every identifier kind (publisher.detect), batch
by batch (publisher.package.batches), so memory stays bounded by the batch
size and the kept examples; each rule then reads the kinds it owns. Overlaps
between kinds are resolved in that one scan, so a phone-like run of digits
inside an IBAN counts once, as an IBAN.

A batch with many distinct texts is scanned by worker processes (the
`scan_processes` setting; publisher.detect.pool), the next batch read while
they work. Otherwise a worker thread runs the Arrow stage of the scan
(publisher.detect.scan.candidates: distinct texts and prefilters of all the
batch's columns; the kernels release the GIL) on the next batches while the
calling thread runs the Python stage (patterns, validators) on the current one.
Either way the batches are merged in order, so counts and examples are those of
one sequential pass. The same pass judges how many of each
column's values are person names (publisher.detect.names.NameShare), for the
columns that are personal by their values whatever their name.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import ClassVar, TypeVar

import numpy as np
from pydantic import Field

from publisher.detect import KINDS
from publisher.detect.matches import Matches
from publisher.detect.names import NameShare
from publisher.detect.pool import Scanned, processes_for, scan_batch
from publisher.detect.scan import Candidates, Memo, candidates, confirm
from publisher.masking import mask
from publisher.package.batches import Batch, iter_batches
from publisher.package.model import Package, Resource
from publisher.progress import NO_PROGRESS, Progress, records
from publisher.report import Finding, Severity
from publisher.rules._listing import more_message, spread
from publisher.rules.base import Rule, RuleParams, fix_hint
from publisher.settings import load_settings

KEEP = 1000  # examples kept per kind and column; counts cover everything
# threads running the Arrow stage of later batches ahead (0: all in the caller's)
WORKERS = 1 if (os.cpu_count() or 1) > 1 else 0


# per column the name-share sample of a batch, and its scores when called
Picked = tuple[dict[str, list[str]], Callable[[], dict[str, int]]]


@dataclass
class Hits:
    count: int = 0
    examples: list[tuple[int, str]] = field(default_factory=list)  # (row, raw value)


@dataclass
class ResourceScan:
    columns: list[str]
    hits: dict[tuple[str, str], Hits]  # (kind, column) -> hits
    names: dict[str, NameShare] = field(default_factory=dict)  # column -> name values


# the last scans, by resource: the API runs pipelines in threads, so every look and
# change happens under the lock (an entry holds its resource, so its id() stays its own)
_CACHE: OrderedDict[int, tuple[Resource, object, ResourceScan]] = OrderedDict()
_CACHE_SIZE = 8
_CACHE_LOCK = threading.Lock()


def scan_resource(resource: Resource, progress: Progress = NO_PROGRESS,
                  workers: int | None = None, processes: int | None = None,
                  also: Callable[[Batch], None] | None = None) -> ResourceScan:
    """Every identifier kind in every text column of the resource (cached per
    resource object and data, so the rules of one check share a single pass);
    the rows scanned reported to `progress`. `processes` (default: the
    `scan_processes` setting) scan big batches in worker processes; `workers`
    threads run the Arrow stage ahead where they do not. `also` sees every batch
    scanned, in order, while the workers scan it (publisher.rules._shared); not
    called when the scan is kept from before."""
    cached = _cached(resource)
    if cached is not None:
        return cached
    hits: dict[tuple[str, str], Hits] = {}
    names: dict[str, NameShare] = {}
    columns: list[str] = []
    memo = Memo()
    workers = WORKERS if workers is None else workers
    processes = processes_for(load_settings().scan_processes) if processes is None \
        else processes

    progress.start(f"{resource.name}: identifier scan", records(resource), "rows")

    def merge(batch: Batch, found: Callable[[], list[Matches]],
              picked: Picked | None = None) -> None:
        nonlocal columns
        columns = list(batch.columns)
        if also is not None:
            also(batch)
        if picked is None:
            for name, array in batch.columns.items():  # while worker threads scan ahead
                names.setdefault(name, NameShare()).add(array)
        else:  # the sample picked when the batch was sent, judged by the pool
            values, scores = picked
            judged = scores()
            for name, sample in values.items():
                names[name].count(sample, judged)
        for name, matches in zip(batch.columns, found(), strict=True):
            if len(matches):
                _add(hits, name, matches, batch.rows)
        progress.advance(len(batch))

    def pick(batch: Batch) -> dict[str, list[str]]:
        return {name: names.setdefault(name, NameShare()).pick(array)
                for name, array in batch.columns.items()}

    if processes > 1:
        _in_processes(resource, processes, memo, merge, pick)
    elif workers < 1:
        for batch in iter_batches(resource):
            prepared = _prepare(batch)
            merge(batch, _later(prepared, memo))
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: deque[tuple[Batch, Future[list[Candidates]]]] = deque()
            try:
                for index, batch in enumerate(iter_batches(resource)):
                    if index == 0:  # the first (the name lists load) in this thread
                        first = _prepare(batch)
                        merge(batch, _later(first, memo))
                        continue
                    pending.append((batch, pool.submit(_prepare, batch)))
                    while len(pending) > workers:  # bounds the batches held in memory
                        done, future = pending.popleft()
                        merge(done, _later(future, memo))
                while pending:
                    done, future = pending.popleft()
                    merge(done, _later(future, memo))
            finally:
                for _, future in pending:
                    future.cancel()
    progress.finish()
    scan = ResourceScan(columns, hits, names)
    remember_scan(resource, scan)
    return scan


def _in_processes(resource: Resource, processes: int, memo: Memo,
                  merge: Callable[[Batch, Callable[[], list[Matches]], Picked], None],
                  pick: Callable[[Batch], dict[str, list[str]]]) -> None:
    """The batches scanned by worker processes (publisher.detect.pool), merged in
    order; the next batch is read and sent while the workers scan the last. Each
    column's name-share sample is picked as its batch is sent, and judged by the
    pool too (publisher.detect.pool.Scanned.name_scores)."""
    pending: deque[tuple[Batch, Scanned, dict[str, list[str]]]] = deque()
    kinds = list(KINDS.values())
    try:
        for batch in iter_batches(resource):
            sample = pick(batch)
            values = [value for picked in sample.values() for value in picked]
            pending.append((batch, scan_batch(list(batch.columns.values()), kinds, memo,
                                              processes, names=values), sample))
            while len(pending) > 1:
                done, scanned, done_sample = pending.popleft()
                merge(done, scanned.result, (done_sample, scanned.name_scores))
        while pending:
            done, scanned, done_sample = pending.popleft()
            merge(done, scanned.result, (done_sample, scanned.name_scores))
    finally:
        for _, scanned, _ in pending:
            scanned.cancel()


def remember_scan(resource: Resource, scan: ResourceScan) -> None:
    """Keep a scan of the resource as it is now for the rules that read it (a scan
    made elsewhere, e.g. on a cluster's workers, is handed over this way)."""
    with _CACHE_LOCK:
        _CACHE[id(resource)] = (resource, resource.data, scan)
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def _cached(resource: Resource) -> ResourceScan | None:
    """The kept scan of the resource as it is now, if any."""
    key = id(resource)
    with _CACHE_LOCK:
        cached = _CACHE.get(key)
        if cached is None or cached[0] is not resource or cached[1] is not resource.data:
            return None
        _CACHE.move_to_end(key)
        return cached[2]


def _prepare(batch: Batch) -> list[Candidates]:
    return candidates(list(batch.columns.values()), list(KINDS.values()))


def _later(prepared: list[Candidates] | Future[list[Candidates]],
           memo: Memo) -> Callable[[], list[Matches]]:
    """The Python stage of the scan on a batch's candidates, to run when called."""
    def confirmed() -> list[Matches]:
        ready = prepared if isinstance(prepared, list) else prepared.result()
        return [confirm(found, memo) for found in ready]
    return confirmed


def _add(hits: dict[tuple[str, str], Hits], column: str, found: Matches,
         rows: np.ndarray) -> None:
    counts = np.bincount(found.kind, minlength=len(found.kinds))
    for code in np.flatnonzero(counts).tolist():
        entry = hits.setdefault((found.kinds[code], column), Hits())
        entry.count += int(counts[code])
        room = KEEP - len(entry.examples)
        if room > 0:
            first = np.flatnonzero(found.kind == code)[:room]
            entry.examples += zip(rows[found.cell[first]].tolist(),
                                  found.value[first].tolist(), strict=True)


class IdentifierParams(RuleParams):
    columns: list[str] | None = Field(None, description="The columns to scan; default: every "
                                                        "text column.")
    # listed per resource, shared out over its columns; the rest is counted per column
    max_findings: int = Field(100, ge=1, le=KEEP,
                              description="Findings listed per resource; the rest are counted.")


IP = TypeVar("IP", bound=IdentifierParams)


class IdentifierRule(Rule[IP]):
    """Findings for the identifier kinds in `kinds`, one per cell up to max_findings
    per resource; no column is left unnamed (publisher.rules._listing)."""

    kinds: ClassVar[tuple[str, ...]]
    what: ClassVar[str]  # "a phone number"
    default_severity = Severity.BLOCK
    fixes: ClassVar[tuple[str, ...]] = ("redact-text", "drop-columns")

    @property
    def hint(self) -> str:  # type: ignore[override]
        names = ", ".join(self.selected_kinds())
        return fix_hint(f"replace the values (kinds: {names}), or remove the column",
                        self.fixes)

    def selected_kinds(self) -> tuple[str, ...]:
        return self.kinds

    def check(self, package: Package) -> Iterable[Finding]:
        named = self.params.columns
        findings: list[Finding] = []
        counts: dict[str, int] = {}
        seen: set[str] = set()
        for resource in package.resources:
            scan = scan_resource(resource, self.progress)
            wanted = [c for c in scan.columns if named is None or c in named]
            seen.update(wanted)
            findings.extend(self._resource_findings(resource.name, scan, wanted, counts))
        self.stats = {"cells": sum(counts.values()), "by_field": counts}
        if named and not seen:
            findings.append(Finding(
                type=self.type, severity=Severity.WARN, rule=self.id,
                message=f"no text column named {', '.join(named)}: nothing was scanned",
                hint="name existing columns in the rule's 'columns', or leave it out"))
        return findings

    def _resource_findings(self, resource: str, scan: ResourceScan, columns: list[str],
                           counts: dict[str, int]) -> list[Finding]:
        """Cell findings shared out over the columns (publisher.rules._listing), and
        per column with more hits than listed, one finding naming it with its count."""
        found: list[tuple[str, int, list[tuple[int, str]]]] = []
        for column in columns:
            examples: list[tuple[int, str]] = []
            count = 0
            for kind in self.selected_kinds():
                hits = scan.hits.get((kind, column))
                if hits is not None:
                    count += hits.count
                    examples.extend(hits.examples)
            if count:
                counts[f"{resource}.{column}"] = count
                found.append((column, count, sorted(examples)))
        shown = spread([len(examples) for _, _, examples in found], self.params.max_findings)
        listed: list[Finding] = []
        for (column, count, examples), n in zip(found, shown, strict=True):
            listed += [self.finding(f"{self.what} in the text", resource=resource, row=row,
                                    field=column, sample=mask(value))
                       for row, value in examples[:n]]
            if count > n:
                listed.append(self.finding(more_message(count - n, count), resource=resource,
                                           field=column, count=count - n))
        return listed
