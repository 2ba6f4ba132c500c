"""One pass of row-wise changes over a resource's records (publisher.steps._stream
queues and settles them), and how its output is written: what a pass run
elsewhere (publisher.passes.Passes.rewrite_ranges, on a cluster's workers) is
handed, and writes its parts of the output with, so that the bytes are those of
the single-process pass.

What a change counts (cells redacted, points moved) it keeps in a Tally handed
to `rewrite`: a pass run elsewhere runs on copies of the changes, and their
tallies come back and are merged into the step's own, in file order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Self

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from publisher.package.formats import csv_frame
from publisher.package.model import Projection, Resource

Change = Callable[[pd.DataFrame], pd.DataFrame]


class Tally(Protocol):
    """What a change counts (cells redacted, points moved) over the records it is
    given: on a cluster each worker counts on its own copy, from nothing (reset),
    and the client merges the copies into the step's, in file order."""

    def reset(self) -> None: ...

    def merge(self, other: Self) -> None: ...


@dataclass
class Count:
    """A Tally of one number."""

    n: int = 0

    def reset(self) -> None:
        self.n = 0

    def merge(self, other: Count) -> None:
        self.n += other.n


@dataclass(frozen=True)
class Pass:
    """One pass of queued changes over a resource's records, as _stream runs it
    (and Passes.rewrite_ranges is offered it)."""

    resource: Resource  # read from `source` (a copy: no data, no views)
    source: Projection
    changes: tuple[Change, ...]
    tallies: tuple[Tally, ...]
    shapes: bool  # whether the records' geometry is built (else its columns stay text)
    spatial: tuple[str, ...]  # the geometry's columns written last (passed through as text)
    kept: frozenset[str]  # the columns the resource keeps
    path: Path  # the file written


def write_records(job: Pass, frames: Iterable[pd.DataFrame], path: Path, *,
                  header: bool = True) -> list[str] | None:
    """The frames of JOB's records through its changes, written to PATH as CSV text
    (the header row first if HEADER); the columns written (None: no frame)."""
    read = set(job.source.columns)
    written: list[str] | None = None
    writer: pacsv.CSVWriter | None = None
    options = _QUOTED if header else _QUOTED_BODY
    try:
        for frame in frames:
            for change in job.changes:
                frame = change(frame)
            plain, _ = csv_frame(job.resource, frame)
            if written is None:
                names = [str(c) for c in plain.columns if c not in job.spatial]
                names += [c for c in job.spatial if c in plain.columns]
                written = [c for c in names if c in job.kept or c not in read]
            part = pa.table({c: _text(plain[c]) for c in written})
            if writer is None:
                writer = pacsv.CSVWriter(path, part.schema, write_options=options)
            writer.write_table(part)
    finally:
        if writer is not None:
            writer.close()
    return written


# every text quoted (a lone carriage return stays inside its cell); missing: empty
_QUOTED = pacsv.WriteOptions(quoting_style="all_valid")
_QUOTED_BODY = pacsv.WriteOptions(quoting_style="all_valid", include_header=False)


def _text(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of the records as Arrow text, missing values null (read back as "")."""
    return pa.array(values.astype("string").array).cast(pa.string())
