"""Row-wise steps batch by batch: the records of a CSV resource not in memory
(its file, or a projection of it) are read a batch at a time (BATCH_ROWS of
publisher.package.batches) as the whole-table reader gives them (text cells,
row numbers as index, the geometry built from its columns), changed, and
written to a CSV file in the run's working directory, which the resource then
reads from (a model.Projection of it). A run of row-wise steps (redact-text,
pseudonymise, reduce-precision, truncate-*, band-numbers) so never holds the
table as pandas objects; the next step, the re-check and staging read that
file as they read the source.

Consecutive row-wise steps share one pass: with a Chain in the step context
(the runner opens one for the anonymise stage), `rewrite` queues its change on
the resource instead of writing a file, and `settle` applies every queued
change of a resource batch by batch in one read and one write. The runner
settles before each step that reads records (k-anonymise, grid-aggregate ...)
and after the last step; a step that reads a column itself (band-numbers)
settles that resource first. What a step can only count once its change ran
(cells redacted, points moved) it completes in a callback given to `after`,
which runs when the changes have run.

When no queued change of a pass reads the geometry and the records come from
a file such a pass wrote (whose coordinates are written as below already), the
geometry's columns pass through as text: no shapes are built.

The written file holds what the whole-table path would hand the writer: the
text cells, and the geometry as the writer derives its columns (shortest
round-trip numbers, full-precision WKT), which read back as the same shapes;
so both paths publish the same bytes. Without a working directory (a step's
`apply()` called on its own), or with the records in memory, the change runs
on the whole table instead.

A pass is first offered to the context's passes (publisher.passes:
`rewrite_ranges`; on a cluster the workers run it on byte ranges of the file);
what a change counts it keeps in a Tally (publisher.steps.rowpass), so that a
pass run elsewhere hands its counts back.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from publisher.package import batches
from publisher.package.frames import column_values as values_of
from publisher.package.frames import file_columns, record_frames
from publisher.package.model import Projection, Resource
from publisher.passes import IN_PROCESS, Passes
from publisher.steps._derived import mark_derived
from publisher.steps.rowpass import Change, Count, Pass, Tally, write_records

__all__ = ["Chain", "Count", "Tally", "after", "rewrite", "settle", "values_of"]

Changed = Callable[[], bool]
SPILL = "rows-{n}.csv"

_spills = itertools.count(1)


@dataclass
class _Pending:
    """The changes queued on one resource, and what it read before the first."""

    resource: Resource
    source: Projection  # the file and columns the pass reads
    opened: Projection  # the projection the resource was given when the first was queued
    path: Path | None  # the resource's file and projection before that
    projection: Projection | None
    changes: list[Change] = field(default_factory=list)
    changed: list[Changed | None] = field(default_factory=list)
    tallies: list[Tally] = field(default_factory=list)
    geometry: bool = False  # whether a change reads the geometry
    coordinates: bool = False  # whether a change writes the lat/lon columns as written


@dataclass
class Chain:
    """Row-wise changes queued per resource until settled (see the module's text)."""

    pending: dict[int, _Pending] = field(default_factory=dict)  # by id() of the resource
    callbacks: list[Callable[[], None]] = field(default_factory=list)
    passes: int = 0  # files written, for the tests


class _Context(Protocol):
    """What rewrite reads of a step's context (steps.base.StepContext)."""

    @property
    def workdir(self) -> Path | None: ...

    @property
    def chain(self) -> Chain | None: ...

    @property
    def passes(self) -> Passes: ...


def rewrite(resource: Resource, change: Change, context: _Context, *,
            changed: Changed | None = None, tally: Tally | None = None, geometry: bool = True,
            coordinates: bool = False, batch_rows: int | None = None) -> None:
    """Apply CHANGE, which changes a frame of records row by row and returns the
    result (leaving its argument as it was), to every record of the resource:
    streamed through the context's working directory when it can be (queued on its
    chain, if it has one), else on the whole table. CHANGED, asked after every
    record went through CHANGE, says whether any was changed; if none of a pass's
    changes did, the resource stays as it was. TALLY: what CHANGE counts, if anything
    (see Tally). GEOMETRY false: CHANGE reads no shapes:
    it is handed the geometry's columns as text where the pass builds none (and shapes
    where another change of the pass reads them); COORDINATES: it then writes the
    lat/lon columns as the writer writes points (csv_frame), whatever they held."""
    workdir = context.workdir
    if workdir is not None and file_columns(resource) is not None:
        pending = _queue(context.chain, resource, change, changed, geometry, coordinates)
        if tally is not None:
            pending.tallies.append(tally)
        if context.chain is None:
            _run(pending, workdir, batch_rows or batches.BATCH_ROWS, context.passes)
        return
    result = change(resource.table())
    if changed is None or changed():
        resource.data = result
        mark_derived(resource)


def after(context: _Context, callback: Callable[[], None]) -> None:
    """Run CALLBACK once the changes rewrite was given have run: now, or when the
    context's chain is settled."""
    if context.chain is None:
        callback()
    else:
        context.chain.callbacks.append(callback)


def settle(context: _Context, resource: Resource | None = None,
           batch_rows: int | None = None) -> None:
    """Run the changes queued on RESOURCE (default: on every resource, and then the
    callbacks given to `after`), one pass per resource."""
    chain = context.chain
    if chain is None or context.workdir is None:
        return
    keys = [id(resource)] if resource is not None else list(chain.pending)
    for key in keys:
        pending = chain.pending.pop(key, None)
        if pending is not None:
            _run(pending, context.workdir, batch_rows or batches.BATCH_ROWS, context.passes)
            chain.passes += 1
    if resource is None:
        callbacks, chain.callbacks = chain.callbacks, []
        for callback in callbacks:
            callback()


def _queue(chain: Chain | None, resource: Resource, change: Change, changed: Changed | None,
           geometry: bool, coordinates: bool) -> _Pending:
    """The resource's pending changes (on CHAIN, if any) with CHANGE added; the first
    queued gives the resource a projection of the file it reads, so it keeps reading
    the same columns while steps mark it derived."""
    pending = chain.pending.get(id(resource)) if chain is not None else None
    if pending is None or pending.resource is not resource:
        columns = file_columns(resource)
        assert columns is not None
        file = resource.projection.file if resource.projection else resource.path
        assert file is not None
        written = resource.projection is not None and resource.projection.as_written
        source = Projection(file, tuple(columns), written)
        pending = _Pending(resource, source, source, resource.path, resource.projection)
        resource.projection = source
        if chain is not None:
            chain.pending[id(resource)] = pending
    pending.changes.append(change)
    pending.changed.append(changed)
    pending.geometry = pending.geometry or geometry
    pending.coordinates = pending.coordinates or coordinates
    return pending


def _run(pending: _Pending, workdir: Path, batch_rows: int, passes: Passes = IN_PROCESS
         ) -> None:
    """Every record through the pending changes into a new file of WORKDIR."""
    resource = pending.resource
    spill = _stream(pending, workdir, batch_rows, passes)
    if all(c is not None and not c() for c in pending.changed):  # nothing changed
        spill.file.unlink()
        if resource.projection is pending.opened:  # nothing narrowed it meanwhile
            resource.path, resource.projection = pending.path, pending.projection
        return
    if pending.source.file.parent == workdir and pending.source.file != spill.file:
        pending.source.file.unlink(missing_ok=True)  # an earlier pass's, read for the last time
    resource.projection, resource.data = spill, None  # data: a file that did not stream
    resource.path = None
    resource.views.clear()
    # the file is written as plain UTF-8 CSV, whatever the source's dialect
    resource.descriptor.pop("dialect", None)
    resource.descriptor["encoding"] = "utf-8"
    mark_derived(resource)


def _stream(pending: _Pending, workdir: Path, batch_rows: int, passes: Passes = IN_PROCESS
            ) -> Projection:
    """The changed records in a new file of WORKDIR: the columns the resource keeps
    (a step may have narrowed it while the changes were queued)."""
    resource = pending.resource
    view = dataclasses.replace(resource, path=None, projection=pending.source, data=None,
                               views={})
    kept = set(resource.projection.columns if resource.projection else pending.source.columns)
    # coordinates a pass wrote are already as the writer derives them: passed through
    # (or written so by a change from their text)
    shapes = pending.geometry or not (pending.source.as_written or pending.coordinates)
    spatial = resource.geometry.columns if resource.geometry and not shapes else ()
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / SPILL.format(n=next(_spills))
    job = Pass(view, pending.source, tuple(pending.changes), tuple(pending.tallies), shapes,
               tuple(spatial), frozenset(kept), path)
    written = passes.rewrite_ranges(job)
    if written is None:
        written = write_records(job, record_frames(view, batch_rows, geometry=shapes), path)
    return Projection(path, tuple(written or [c for c in pending.source.columns if c in kept]),
                      as_written=True)
