"""Staging's write of a CSV resource (publisher.package.writer) on the workers:
no record goes through the client.

The file the resource's records are read from (its own, or the one the
row-wise steps wrote, model.Projection) is cut at record ends
(publisher.cluster.scan.cut). As for the row-wise pass (publisher.cluster.rows),
each worker first counts the records of its range; then, with the first row
number of its range, reads them WRITE_ROWS at a time as the single-process
writer does (text cells, the row numbers as index, the geometry built unless the
lat/lon columns are written as they are) and writes its part of the published
file with the writer's own function (write_csv_records: formulas neutralised,
the header row only in the first part) next to the staged file. It returns the
extent of its records, the columns it wrote and, from the first range, the
first part's types (no record). A range that meets a carriage return in a text
cell stops and says so; then every range is written again with every cell
quoted, as the single-process writer writes the whole file again. The client
merges the extents and joins the parts in order by byte copy.

A range one process would read otherwise (a blank line, a ragged record), or
ranges that disagree on the columns, leave the write to the client. A worker's
error (a geometry the reader refuses) is raised by the client for the first
failing range in file order. The staged directory is under the run's working
directory: on several machines it must be storage every worker mounts at the
same path, like the package's files.
"""

from __future__ import annotations

import dataclasses
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publisher.cluster import scan
from publisher.cluster.client import ClusterError, connect, worker_failures
from publisher.cluster.parts import BlankLine, Part, Unparsable, read_part
from publisher.cluster.ranges import file_of
from publisher.cluster.rows import (
    Failed,
    Unwritable,
    first_rows,
    frames,
    join_parts,
    part_path,
    remove_parts,
)
from publisher.package.csvio import csv_options, read_header
from publisher.package.frames import file_columns
from publisher.package.model import GeometrySpec, Resource
from publisher.package.writer import (
    WRITE_ROWS,
    Bounds,
    WrittenCsv,
    coordinates_as_written,
    write_csv_records,
)

if TYPE_CHECKING:
    from distributed import Client


@dataclass(frozen=True)
class Staged:
    """One range's part of the staged file, and what writing it gave."""

    path: str
    written: WrittenCsv  # `first` without records


@dataclass(frozen=True)
class LoneCR:
    """A range with a carriage return in a text cell: the file is written quoted."""


Outcome = Staged | LoneCR | Failed | Unwritable | None


def stage_part(part: Part, first: int, number: int, resource: Resource, order: list[str],
               path: str, as_text: GeometrySpec | None, quote_all: bool) -> Outcome:
    """Runs on a worker: the range's records (the first numbered FIRST) written as
    part NUMBER of the staged file PATH; None when one process reads them otherwise."""
    try:
        table = read_part(part)
    except (BlankLine, Unparsable):
        return None

    target = part_path(Path(path), number)
    temporary = target.with_name(f"{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        handle = temporary.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        return Unwritable(str(target.parent), exc.strerror or type(exc).__name__)
    try:
        with handle:
            records = frames(table, first, WRITE_ROWS, part.wanted,
                             resource if as_text is None else None)
            written = write_csv_records(resource, order, records, handle, as_text=as_text,
                                        quote_all=quote_all, header=number == 0)
    except Exception as exc:  # raised by the client in file order
        temporary.unlink(missing_ok=True)
        return Failed(exc)
    if written is None:
        temporary.unlink(missing_ok=True)
        return LoneCR()
    try:
        os.replace(temporary, target)  # a task run again (a worker died) overwrites it
    except OSError as exc:
        return Unwritable(str(target.parent), exc.strerror or type(exc).__name__)
    # the first part's types are all the writer reads of it (writer.sync_schema)
    return Staged(str(target), dataclasses.replace(written, first=written.first.iloc[:0]))


def write_ranges_on(resource: Resource, order: list[str], path: Path, address: str
                    ) -> WrittenCsv | None:
    """The resource's records written to PATH on the cluster at ADDRESS, as
    writer.write_csv_records writes them in one pass; what writing gave. None:
    nothing written (the file cannot be cut, has no record, or a range cannot be
    read as one process reads it)."""
    columns = file_columns(resource)
    file = None if columns is None else file_of(resource, columns)
    if columns is None or file is None:
        return None
    opts = csv_options(resource.descriptor, resource.name)
    header = tuple(read_header(file, opts, resource.name))
    # what a worker is handed: no records, no views
    view = dataclasses.replace(resource, data=None, views={})
    try:
        with connect(address) as client:
            parts = scan.cut(client, resource, file, header, tuple(columns), scan.PART_BYTES)
            if not parts:
                return None  # no record: the client writes the header
            staged = _run(client, view, order, path, parts)
        return None if staged is None else _join(path, staged)
    finally:
        remove_parts(path)


def _run(client: Client, resource: Resource, order: list[str], path: Path,
         parts: list[Part]) -> list[Staged] | None:
    firsts = first_rows(client, parts, resource)
    if firsts is None:
        return None
    as_text = coordinates_as_written(resource)
    for quote_all in (False, True):
        # the same arguments for every range, given per task: Client.map makes a keyword
        # argument over 100 kB a node of the graph keyed by its name, which fails
        # (publisher.cluster.rows.INLINE_BYTES)
        same = [[a] * len(parts) for a in (resource, order, str(path), as_text, quote_all)]
        outcomes: list[Outcome] = scan.gather(client, client.map(
            stage_part, parts, firsts, range(len(parts)), *same, pure=False), resource)
        staged = _checked(resource, outcomes)
        if not isinstance(staged, LoneCR):
            return staged
    raise AssertionError("unreachable: the quoted pass meets no carriage return")


def _checked(resource: Resource, outcomes: list[Outcome]) -> list[Staged] | LoneCR | None:
    """The ranges' parts; LoneCR when a range met a carriage return (they are written
    again, quoted); None when the client is to write the file. A range's error
    raised, the first in file order."""
    for outcome in outcomes:  # in file order: the first error one process would meet
        if outcome is None:
            return None
        if isinstance(outcome, Failed):
            with worker_failures(resource.name):
                raise outcome.error
        if isinstance(outcome, Unwritable):
            raise ClusterError(
                f"resource '{resource.name}': a worker cannot write the staged file to "
                f"{outcome.folder} ({outcome.reason})",
                hint="the workers write the published files themselves: on several "
                     "machines put the publisher's home on storage every worker mounts "
                     "at the same path")
    if any(isinstance(o, LoneCR) for o in outcomes):
        return LoneCR()
    staged = [o for o in outcomes if isinstance(o, Staged)]
    if any(s.written.columns != staged[0].written.columns for s in staged):
        return None  # not one file's columns: the client writes it
    return staged


def _join(path: Path, parts: list[Staged]) -> WrittenCsv:
    """The parts joined into PATH in order, their extents merged."""
    join_parts(path, [part.path for part in parts])
    bounds = Bounds()
    for part in parts:
        bounds.merge(part.written.bounds)
    first = parts[0].written
    return WrittenCsv(first.columns, first.spec, first.first, bounds)

