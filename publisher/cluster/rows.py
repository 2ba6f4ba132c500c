"""The row-wise steps' pass over a CSV file (publisher.steps._stream) on the
workers: no record goes through the client.

The file the pass reads (the resource's, or one an earlier pass wrote) is cut at
record ends (publisher.cluster.scan.cut). Each worker first counts the records of
its range (the file's row numbers go on from range to range); then, with the
first row number of its range, reads the range's records batch by batch as the
single-process pass reads them (text cells, the row numbers as index, the
geometry built where a change reads it), runs the queued changes on each batch in
order, and writes its part of the output (publisher.steps.rowpass.write_records,
the header row only in the first part) next to the output file, in the run's
working directory. The client joins the parts in order by byte copy, without
parsing them: the bytes are those of one pass in one process.

The changes travel to the workers pickled (cloudpickle): with each task, or when
large once to every worker; each range unpickles its own copy, so what a change
counts (its Tally) starts from nothing there and comes back with the range's
result; the client merges the ranges' tallies into the step's in file order. A
change that fails on a worker fails the pass with the error of the first failing
range in file order, which is the one the single-process pass meets first. A
range the workers cannot read as one process would (a blank line, a ragged
record, an unparsable quote), or changes that cannot be pickled, leave the pass
to the client, as in one process.

On several machines the working directory (under the publisher's home) must be
storage every worker mounts at the same path, like the package's files.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import pickle
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cloudpickle  # type: ignore[import-untyped]  # dask[distributed]'s
import pandas as pd
import pyarrow as pa

from publisher.cluster import scan
from publisher.cluster.client import ClusterError, connect, worker_failures
from publisher.cluster.parts import BlankLine, Part, Unparsable, read_part
from publisher.cluster.ranges import file_of
from publisher.package.batches import BATCH_ROWS
from publisher.package.csvio import csv_options, read_header
from publisher.package.readers._tabular import with_geometry
from publisher.steps.rowpass import Pass, Tally, write_records

if TYPE_CHECKING:
    from distributed import Client, Future

    from publisher.package.model import Resource

# pickled changes up to this size travel with each task; kept under 100 kB: above it
# Client.map (distributed 2026.8) makes a keyword argument a node of the graph keyed by
# its name, "job", and the pass fails (AssertionError(<TaskState 'job' processing>))
INLINE_BYTES = 64 * 1024


@dataclass(frozen=True)
class Written:
    """One range's part of the output, and what its changes counted."""

    path: str
    columns: list[str] | None
    tallies: tuple[Tally, ...]


@dataclass(frozen=True)
class Failed:
    """A range whose changes raised: the error, handed to the client as data."""

    error: Exception


@dataclass(frozen=True)
class Unwritable:
    """A range whose part could not be written: the folder and why."""

    folder: str
    reason: str


def count_records(part: Part) -> int | None:
    """Runs on a worker: the records of the range (only its first column converted);
    None when one process would not read it batch by batch."""
    try:
        rows: int = read_part(dataclasses.replace(part, wanted=part.columns[:1])).num_rows
    except (BlankLine, Unparsable):
        return None
    return rows


def rewrite_part(part: Part, first: int, number: int, job: bytes
                 ) -> Written | Failed | Unwritable | None:
    """Runs on a worker: the range's records (the first numbered FIRST) through the
    pickled Pass's changes, written to the part NUMBER of its output file."""
    work: Pass = pickle.loads(job)  # this range's own copy of the changes and tallies
    for tally in work.tallies:
        tally.reset()
    target = part_path(work.path, number)
    temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        table = read_part(part)
    except (BlankLine, Unparsable):
        return None
    try:
        temporary.touch()  # whether this worker can write there at all
    except OSError as exc:
        return Unwritable(str(work.path.parent), exc.strerror or type(exc).__name__)
    try:
        written = write_records(work, frames(table, first, BATCH_ROWS, work.source.columns,
                                             work.resource if work.shapes else None),
                                temporary, header=number == 0)
    except Exception as exc:  # the change's own error, raised by the client in file order
        temporary.unlink(missing_ok=True)
        return Failed(exc)
    try:
        os.replace(temporary, target)  # a task run again (a worker died) overwrites it
    except OSError as exc:
        return Unwritable(str(work.path.parent), exc.strerror or type(exc).__name__)
    return Written(str(target), written, work.tallies)


def rewrite_ranges_on(job: Pass, address: str) -> list[str] | None:
    """The pass run on the cluster at ADDRESS into job.path, its tallies merged;
    the columns written. None: nothing written or counted (the file cannot be cut,
    a range cannot be read as one process reads it, the changes do not pickle)."""
    file = file_of(job.resource, job.source.columns)
    if file is None:
        return None
    try:
        blob = cloudpickle.dumps(dataclasses.replace(job, tallies=_distinct(job.tallies)))
    except Exception:  # something a change holds cannot travel: run the pass here
        return None
    opts = csv_options(job.resource.descriptor, job.resource.name)
    header = tuple(read_header(file, opts, job.resource.name))
    try:
        with connect(address) as client:
            parts = scan.cut(client, job.resource, file, header, job.source.columns,
                             scan.PART_BYTES)
            if not parts:
                return None  # no record: the client writes the header
            results = _run(client, job, parts, blob)
        return None if results is None else _join(job, results)
    finally:
        remove_parts(job.path)


def first_rows(client: Client, parts: list[Part], resource: Resource) -> list[int] | None:
    """The row number of each range's first record (the header is row 1), from the
    ranges' record counts; None when a range is not to be read on the workers."""
    counts: list[int | None] = scan.gather(client, client.map(count_records, parts), resource)
    if any(n is None for n in counts):
        return None
    firsts = [2]
    for n in counts[:-1]:
        assert n is not None
        firsts.append(firsts[-1] + n)
    return firsts


def _run(client: Client, job: Pass, parts: list[Part], blob: bytes
         ) -> list[Written] | None:
    name = job.resource.name
    firsts = first_rows(client, parts, job.resource)
    if firsts is None:
        return None
    # small changes go with each task: a worker may spill data it holds to its disk,
    # and a change may hold a secret key (pseudonymise); large ones (k-anonymise's
    # suppressed classes, when there are many) go to every worker once
    shared: bytes | Future[bytes] = blob
    if len(blob) > INLINE_BYTES:
        [shared] = client.scatter([blob], broadcast=True, hash=False)  # type: ignore[no-untyped-call]
    outcomes: list[Written | Failed | Unwritable | None] = scan.gather(client, client.map(
        rewrite_part, parts, firsts, range(len(parts)), job=shared, pure=False), job.resource)
    written = [o for o in outcomes if isinstance(o, Written)]
    for outcome in outcomes:  # in file order: the first error one process would meet
        if outcome is None:  # a range one process reads otherwise: it runs the pass
            return None
        if isinstance(outcome, Failed):
            with worker_failures(name):  # a file a change reads, missing on the worker
                raise outcome.error
        if isinstance(outcome, Unwritable):
            raise ClusterError(
                f"resource '{name}': a worker cannot write to the run's working directory "
                f"{outcome.folder} ({outcome.reason})",
                hint="the workers write the steps' output there themselves: on several "
                     "machines put the publisher's home on storage every worker mounts "
                     "at the same path")
    if any(o.columns != written[0].columns for o in written):
        return None  # not one file's columns: run the pass here
    return written


def _join(job: Pass, parts: list[Written]) -> list[str] | None:
    """The parts joined into job.path in order, the tallies merged."""
    join_parts(job.path, [part.path for part in parts])
    for part in parts:
        for mine, theirs in zip(_distinct(job.tallies), part.tallies, strict=True):
            mine.merge(theirs)
    return parts[0].columns


def _distinct(tallies: tuple[Tally, ...]) -> tuple[Tally, ...]:
    """Each tally once (a step may hand the same one for several changes)."""
    return tuple({id(t): t for t in tallies}.values())


def frames(table: pa.Table, first: int, rows: int, columns: Sequence[str],
           shapes: Resource | None) -> Iterator[pd.DataFrame]:
    """A range's records (the first numbered FIRST) ROWS at a time as the whole-table
    reader gives them: text cells, row numbers as index; with SHAPES, the geometry of
    that resource built from its columns."""
    for start in range(0, max(table.num_rows, 1), rows):
        piece = table.slice(start, rows)
        frame = pd.DataFrame({c: piece.column(c).to_pandas() for c in columns})
        frame.index = pd.Index(range(first + start, first + start + piece.num_rows),
                               dtype="int64")
        yield frame if shapes is None else with_geometry(frame, shapes, "the CSV header")


def part_path(path: Path, number: int) -> Path:
    """Where a range's part of the file PATH is written."""
    return path.with_name(f"{path.stem}.part-{number:05d}{path.suffix}")


def join_parts(path: Path, parts: Sequence[str]) -> None:
    """The parts copied into PATH in order, byte for byte."""
    with open(path, "wb") as out:
        for part in parts:
            with open(part, "rb") as data:
                shutil.copyfileobj(data, out, 1 << 20)


def remove_parts(path: Path) -> None:
    """The parts of PATH, and what a worker that died left half written."""
    for left in path.parent.glob(f"{glob.escape(path.stem)}.part-*"):
        left.unlink(missing_ok=True)

