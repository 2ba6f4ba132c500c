"""Row-wise steps batch by batch: the records of a CSV resource not in memory
(its file, or a projection of it) are read a batch at a time (BATCH_ROWS of
publisher.package.batches) as the whole-table reader gives them (text cells,
row numbers as index, the geometry built from its columns), changed, and
written to a CSV file in the run's working directory, which the resource then
reads from (a model.Projection of it). A run of row-wise steps (redact-text,
pseudonymise, reduce-precision, truncate-*, band-numbers) so never holds the
table as pandas objects; the next step, the re-check and staging read that
file as they read the source.

The written file holds what the whole-table path would hand the writer: the
text cells, and the geometry as the writer derives its columns (shortest
round-trip numbers, full-precision WKT), which read back as the same shapes;
so both paths publish the same bytes. Without a working directory (a step's
`apply()` called on its own), or with the records in memory, the change runs
on the whole table instead.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from publisher.package import batches
from publisher.package.formats import csv_frame
from publisher.package.frames import column_values as values_of
from publisher.package.frames import file_columns, record_frames
from publisher.package.model import Projection, Resource
from publisher.steps._derived import mark_derived

__all__ = ["rewrite", "values_of"]

Change = Callable[[pd.DataFrame], pd.DataFrame]
SPILL = "rows-{n}.csv"

_spills = itertools.count(1)


def rewrite(resource: Resource, change: Change, workdir: Path | None, *,
            changed: Callable[[], bool] | None = None, batch_rows: int | None = None) -> None:
    """Apply CHANGE, which changes a frame of records row by row and returns the
    result (leaving its argument as it was), to every record of the resource:
    streamed through WORKDIR when it can be, else on the whole table. CHANGED,
    asked after every record went through CHANGE, says whether any was changed;
    if not, the resource stays as it was."""
    if workdir is not None and file_columns(resource) is not None:
        spill = _stream(resource, change, workdir, batch_rows or batches.BATCH_ROWS)
        if changed is not None and not changed():
            spill.file.unlink()
            return
        _retire(resource, workdir)
        resource.projection, resource.data = spill, None  # data: a file that did not stream
        resource.path = None
        resource.views.clear()
        # the file is written as plain UTF-8 CSV, whatever the source's dialect
        resource.descriptor.pop("dialect", None)
        resource.descriptor["encoding"] = "utf-8"
        mark_derived(resource)
        return
    result = change(resource.table())
    if changed is None or changed():
        resource.data = result
        mark_derived(resource)


def _stream(resource: Resource, change: Change, workdir: Path, batch_rows: int) -> Projection:
    """The changed records in a new file of WORKDIR."""
    columns = file_columns(resource)
    assert columns is not None
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / SPILL.format(n=next(_spills))
    written: list[str] | None = None
    writer: pacsv.CSVWriter | None = None
    try:
        for frame in record_frames(resource, batch_rows):
            plain, _ = csv_frame(resource, change(frame))
            written = written or [str(c) for c in plain.columns]
            part = pa.table({c: _text(plain[c]) for c in written})
            if writer is None:
                writer = pacsv.CSVWriter(path, part.schema, write_options=_QUOTED)
            writer.write_table(part)
    finally:
        if writer is not None:
            writer.close()
    return Projection(path, tuple(written or columns))


# every text quoted (a lone carriage return stays inside its cell); missing: empty
_QUOTED = pacsv.WriteOptions(quoting_style="all_valid")


def _text(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column of the records as Arrow text, missing values null (read back as "")."""
    return pa.array(values.astype("string").array).cast(pa.string())


def _retire(resource: Resource, workdir: Path) -> None:
    """Remove the file an earlier row-wise step wrote, now read for the last time."""
    if resource.projection is not None and resource.projection.file.parent == workdir:
        resource.projection.file.unlink(missing_ok=True)
