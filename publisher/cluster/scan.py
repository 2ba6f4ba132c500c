"""The identifier scan (publisher.rules._identifiers) on the workers.

Each CSV byte range (publisher.cluster.parts) is scanned by a worker with the
same functions as the single-process scan (publisher.detect.detect, NameShare);
its partial result holds the local row positions of its first KEEP hits per
kind and column, and its counts. The client fetches the counts first, then
only the examples it keeps (the first KEEP of each kind and column in file
order, so from the first ranges that hold them), and puts them together in file
order, row numbers offset by the records before each range, which gives the
ResourceScan the single-process pass gives, to the row.

Person-name shares take a sample of at most NameShare.limit short cells per
column, spread over each batch of BATCH_ROWS records in turn until the sample is
full: the counts come from every range, and the sampled cells of those first
batches (only the short cells of the columns still sampling) are fetched from
the workers and judged on the client exactly as the single-process pass would.

The combined scan is handed to the rules through the scan cache of
publisher.rules._identifiers, so every rule that reads the scan (the
identifier rules, person names in text, personal column names) runs unchanged
on the client. The rules that count (k-anonymity, residual uniqueness,
dominance) count on the workers too (publisher.cluster.quasi, .dominance); the
others that read the rows (coordinate precision and extent) run on the client.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from publisher.cluster.client import connect, worker_failures
from publisher.cluster.parts import (
    AnyPart,
    BlankLine,
    ParquetPart,
    Part,
    Unparsable,
    can_cut,
    header_end,
    quotes_in,
    ranges,
    read_part,
    record_start,
)
from publisher.detect import KINDS, detect
from publisher.detect.name_columns import VALUE_CHARS, NameShare
from publisher.errors import InputError
from publisher.package.batches import BATCH_ROWS
from publisher.package.csvio import csv_options, read_header
from publisher.package.model import Package, Resource
from publisher.progress import NO_PROGRESS, Progress
from publisher.rules import _identifiers
from publisher.rules._identifiers import KEEP, Hits, ResourceScan

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")

PART_BYTES = 32 * 1024**2  # about 250k records of a typical municipal table


@dataclass
class PartScan:
    """One range's partial scan: positions are 0-based within the range."""

    rows: int = 0
    hits: dict[tuple[str, str], Hits] = field(default_factory=dict)
    nonempty: dict[str, int] = field(default_factory=dict)
    short: dict[str, int] = field(default_factory=dict)
    held: dict[tuple[str, str], int] = field(default_factory=dict)  # examples on the worker


def scan_part(part: AnyPart) -> PartScan:
    """Runs on a worker: every identifier kind in every wanted column of the range."""
    table = read_part(part)
    result = PartScan(rows=table.num_rows)
    if not table.num_rows:
        return result
    for name in part.wanted:
        array = table.column(name).combine_chunks()
        counts = NameShare(limit=0)  # counts only; the sample is taken on the client
        counts.add(array)
        result.nonempty[name], result.short[name] = counts.nonempty, counts.short
        found = detect(array, KINDS)
        for kind, group in found.groupby("kind", sort=False):
            hits = result.hits.setdefault((str(kind), name), Hits())
            hits.count += len(group)
            hits.examples = list(zip(group["row"].iloc[:KEEP].tolist(),
                                     group["value"].iloc[:KEEP].astype(str).tolist(),
                                     strict=True))
    return result


def summary(scan: PartScan) -> PartScan:
    """Runs on a worker: the range's scan without its examples (their number in
    `held`); the examples stay on the worker until the client asks for them."""
    return PartScan(scan.rows, {k: Hits(h.count) for k, h in scan.hits.items()}, scan.nonempty,
                    scan.short, {k: len(h.examples) for k, h in scan.hits.items()})


def examples(scan: PartScan, wanted: dict[tuple[str, str], int]
             ) -> dict[tuple[str, str], list[tuple[int, str]]]:
    """Runs on a worker: the first `wanted[key]` examples of each key."""
    return {key: scan.hits[key].examples[:n] for key, n in wanted.items()}


def wanted_examples(scans: list[PartScan]) -> list[dict[tuple[str, str], int]]:
    """Per range, how many examples of each key the combined scan keeps from it:
    ranges in file order until KEEP examples of the key are gathered."""
    taken: dict[tuple[str, str], int] = {}
    wanted: list[dict[tuple[str, str], int]] = []
    for scan in scans:
        mine: dict[tuple[str, str], int] = {}
        for key, held in scan.held.items():
            take = min(held, KEEP - taken.get(key, 0))
            if take > 0:
                mine[key] = take
                taken[key] = taken.get(key, 0) + take
        wanted.append(mine)
    return wanted


def short_cells(part: AnyPart, lo: int, hi: int, columns: list[str]) -> dict[str, list[str]]:
    """Runs on a worker: the cells of records lo..hi (0-based in the range) that
    NameShare would judge (trimmed, 1 to its length limit characters), in order."""
    if isinstance(part, ParquetPart):  # its columns are read one by one: only these
        part = dataclasses.replace(part, wanted=tuple(columns))
    table = read_part(part).slice(lo, hi - lo)
    cells: dict[str, list[str]] = {}
    for name in columns:
        text = pc.utf8_trim_whitespace(table.column(name).combine_chunks())
        length = pc.fill_null(pc.utf8_length(text), 0)
        keep = pc.and_(pc.greater(length, 0), pc.less_equal(length, VALUE_CHARS))
        cells[name] = [str(v) for v in text.filter(keep).to_pylist()]
    return cells


def prescan(package: Package, address: str, progress: Progress = NO_PROGRESS,
            part_bytes: int | None = None) -> list[str]:
    """Scan every CSV resource of a package whose records are a file's (as loaded,
    its data, if read, the file's unchanged; or, after the steps, not in memory:
    the file a step narrowed it to or wrote) on the cluster at `address`, in
    ranges of part_bytes (default PART_BYTES), and every partitioned GeoParquet
    resource row group by row group, and hand the results to the rules; the
    names of those resources. The others (other formats and encodings, records
    a step changed in memory, a record count that differs from the data in
    memory) are left to the client's own pass."""
    done: list[str] = []
    todo = [r for r in package.resources if _cuttable(r)]
    if not todo:
        return done
    with connect(address) as client:
        for resource in todo:
            progress.start(f"{resource.name}: identifier scan on {address}", None, "rows")
            scan = _scan(client, resource, part_bytes or PART_BYTES)
            progress.finish()
            if scan is not None:
                _identifiers.remember_scan(resource, scan)
                done.append(resource.name)
    return done


def _cuttable(resource: Resource) -> bool:
    # Data in memory is the file's as read (validation reads it): prescan runs on
    # a package as loaded, before any step; _scan checks the record count. After
    # the steps (the re-check) records not in memory are those of the file a step
    # narrowed the resource to, or wrote (model.Projection).
    if resource.dataset is not None:
        return True
    if resource.format != "csv":
        return False
    if resource.projection is not None and resource.data is not None:
        return False
    if resource.path is None and resource.projection is None:
        return False
    return can_cut(csv_options(resource.descriptor, resource.name))


def _scan(client: Client, resource: Resource, part_bytes: int) -> ResourceScan | None:
    if resource.dataset is not None:  # feature numbers from 1
        from publisher.cluster.ranges import set_parts
        from publisher.package.readers._parquetset import text_columns

        names = text_columns(resource.dataset)
        if names is None:
            return None
        found = set_parts(resource, names)
        if found is None:
            return None
        if not names:
            return ResourceScan([], {}, {})
        return _scan_parts(client, resource, list(found), tuple(names), 1)
    projection = resource.projection
    file = projection.file if projection is not None else resource.path
    assert file is not None
    opts = csv_options(resource.descriptor, resource.name)
    header = read_header(file, opts, resource.name)
    geometry = set(resource.geometry.columns) if resource.geometry else set()
    # a projection's columns in its order, as the single-process scan reads them
    kept = projection.columns if projection is not None else header
    wanted = tuple(c for c in kept if c in header and c not in geometry)
    if not header or not wanted:
        return ResourceScan([], {}, {})
    parts = cut(client, resource, file, tuple(header), wanted, part_bytes)
    return _scan_parts(client, resource, list(parts), wanted, 2)


def _scan_parts(client: Client, resource: Resource, parts: list[AnyPart],
                wanted: tuple[str, ...], first: int) -> ResourceScan | None:
    """The scan of the parts (in record order), the first record numbered `first`."""
    futures: list[Future[PartScan]] = client.map(scan_part, parts)
    try:
        scans: list[PartScan] = gather(client, client.map(summary, futures), resource)
    except BlankLine:
        return None
    if resource.data is not None and len(resource.data) != sum(s.rows for s in scans):
        return None  # not the file's records: the client scans what it holds
    # the examples the combined scan keeps: from the first ranges of each key only
    asks = [(scan, client.submit(examples, future, wanted_of))
            for scan, future, wanted_of in zip(scans, futures, wanted_examples(scans),
                                               strict=True) if wanted_of]
    fetched = gather(client, [ask for _, ask in asks], resource)
    for (scan, _), found in zip(asks, fetched, strict=True):
        for key, kept in found.items():
            scan.hits[key].examples = kept
    return _combine(client, parts, scans, list(wanted), resource, first)


def cut(client: Client, resource: Resource, file: Path, header: tuple[str, ...],
        wanted: tuple[str, ...], part_bytes: int) -> list[Part]:
    """The CSV `file` of a resource cut into ranges of about part_bytes at record
    ends (two passes on the workers, publisher.cluster.parts), each to read the
    `wanted` columns."""
    opts = csv_options(resource.descriptor, resource.name)
    path = str(file.resolve())
    quote = opts.quotechar.encode("ascii")
    size = os.path.getsize(path)
    first = header_end(file, quote)
    with open(path, "rb") as fh:
        head = fh.read(first)
    spans = ranges(size, first, part_bytes)
    counts: list[int] = gather(client, client.map(
        quotes_in, [path] * len(spans), [s for s, _ in spans], [e for _, e in spans],
        [quote] * len(spans), [size] * len(spans)), resource)
    inside = [sum(counts[:n]) % 2 == 1 for n in range(1, len(spans))]
    later: list[int] = gather(client, client.map(
        record_start, [path] * len(inside), [s for s, _ in spans[1:]], inside,
        [quote] * len(inside)), resource) if inside else []
    bounds = [first, *later, size]
    return [Part(path, a, b, head, opts, header, wanted) for a, b in pairwise(bounds) if b > a]


def _combine(client: Client, parts: list[AnyPart], scans: list[PartScan], wanted: list[str],
             resource: Resource, first: int) -> ResourceScan:
    offsets = [0, *accumulate(s.rows for s in scans)]
    total = offsets[-1]
    if not total:
        return ResourceScan([], {}, {})
    hits: dict[tuple[str, str], Hits] = {}
    for offset, part_scan in zip(offsets[:-1], scans, strict=True):
        for key, found in part_scan.hits.items():
            entry = hits.setdefault(key, Hits())
            entry.count += found.count
            room = KEEP - len(entry.examples)
            entry.examples.extend((first + offset + row, value)
                                  for row, value in found.examples[:max(room, 0)])
    names = {c: NameShare() for c in wanted}
    for batch in range(0, total, BATCH_ROWS):
        sampling = [c for c in wanted if names[c].judged < names[c].limit]
        if not sampling:
            break
        hi = min(batch + BATCH_ROWS, total)
        calls: list[Future[dict[str, list[str]]]] = []
        for part, part_scan, offset in zip(parts, scans, offsets[:-1], strict=True):
            lo_in, hi_in = max(batch - offset, 0), min(hi - offset, part_scan.rows)
            columns = [c for c in sampling if part_scan.short.get(c)]
            if lo_in < hi_in and columns:
                calls.append(client.submit(short_cells, part, lo_in, hi_in, columns))
        pieces: list[dict[str, list[str]]] = gather(client, calls, resource)
        for name in sampling:
            names[name].add(pa.array([v for p in pieces for v in p.get(name, [])],
                                     type=pa.string()))
    for name, share in names.items():
        share.nonempty = sum(s.nonempty.get(name, 0) for s in scans)
        share.short = sum(s.short.get(name, 0) for s in scans)
    return ResourceScan(list(wanted), hits, names)


def gather(client: Client, futures: list[Future[T]], resource: Resource) -> list[T]:
    """The futures' results; a worker's failure to read the file as a ClusterError
    (a worker that dies is survived: the scheduler runs its tasks elsewhere)."""
    with worker_failures(resource.name):
        try:
            return client.gather(futures)  # type: ignore[no-any-return,no-untyped-call]
        except Unparsable:
            raise InputError(f"resource '{resource.name}': the CSV file cannot be parsed",
                             hint="run `publisher validate` for the row") from None
