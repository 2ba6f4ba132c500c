"""The row rules, the same on every route (validate, check, run, the cluster).

Rows are numbered as frictionless numbers them: the header is row 1, the first
record row 2; a blank line is a row, a quoted line break is not. A record with
more or fewer cells than the header (ragged) is:

- a finding wherever it is met: `extra-cell` / `missing-cell` from validation
  (the engine, like frictionless), and the same types from `publisher check`
  (publisher.rules._rows turns `ragged_rows` into findings; they block);
- read by every table reader (whole table, Arrow batches, the cluster's ranges)
  cut or padded to the header: extra cells are dropped, missing ones are empty
  (""), so a rule or step sees the table the header describes and never fails on
  it. The dropped cells are not scanned: the finding blocks publication instead.

A quote that is never closed runs to the end of the file (Python's csv module,
which frictionless uses, does so): that record is then short, a missing-cell
finding. Python's csv module is the reference for the cell counts and row
numbers; Arrow, which does the fast reading, only tells whether a file has
irregular rows at all (the engine compares the two where it places them:
publisher.validate.engine.stream.row_map).

A step that rewrites a resource writes the table it read, so a published file
never holds a ragged row; but a ragged row blocks at validation and at the
check, so no run gets that far with one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from publisher.package.csvio import arrow
from publisher.package.csvio.dialect import CsvError, CsvOptions, large_fields, records


@dataclass(frozen=True)
class RaggedRow:
    row: int  # as frictionless numbers it
    cells: int  # cells in the record
    width: int  # cells in the header

    @property
    def more(self) -> bool:
        return self.cells > self.width


def record_lengths(path: str | Path, opts: CsvOptions) -> npt.NDArray[np.int64]:
    """Cells per record, the header's first, by Python's csv module (0 for a blank
    line). Counting runs in C (`map(len, reader)` into numpy), with no Python
    loop per row. Raises CsvError, UnicodeError or OSError."""
    with large_fields(), open(path, encoding=opts.encoding, newline="") as fh:
        return np.fromiter(map(len, records(fh, opts)), dtype=np.int64)


def ragged_of(lengths: npt.NDArray[np.int64]) -> list[RaggedRow]:
    """The ragged records among cell counts (the header's first)."""
    if not len(lengths):
        return []
    width = int(lengths[0])
    bad = np.flatnonzero((lengths > 0) & (lengths != width))
    return [RaggedRow(int(i) + 1, int(lengths[i]), width) for i in bad.tolist()]


def fit(cells: list[str], width: int) -> list[str]:
    """A record cut or padded to `width` cells (a blank line: `width` empty cells)."""
    if len(cells) >= width:
        return cells[:width]
    return cells + [""] * (width - len(cells))


def split_record(text: str, opts: CsvOptions) -> list[str]:
    """The cells of one record's text."""
    with large_fields():
        return next(records([text], opts), [])


def ragged_rows(path: Path, opts: CsvOptions) -> list[RaggedRow]:
    """The ragged records of a file. Arrow finds whether there are any (a
    parallel pass that converts one column); only then does Python's csv module
    count every record's cells to number them. The answer is kept per file
    (path, size, modification time) and options, for the check and re-check,
    and a reader that parsed the whole file can give it (note_regular)."""
    key = _key(path, opts)
    found = _KNOWN.get(key)
    if found is None:
        found = _scan(str(path), opts)
        _remember(key, found)
    return list(found)


def note_regular(path: Path, opts: CsvOptions) -> None:
    """Arrow parsed every record of the file without meeting a blank or ragged
    row (arrow.StopAtIrregular never called): it has no ragged rows."""
    _remember(_key(path, opts), ())


_Key = tuple[str, int, int, CsvOptions]
_KNOWN: dict[_Key, tuple[RaggedRow, ...]] = {}
_KEEP = 64


def _key(path: Path, opts: CsvOptions) -> _Key:
    stat = os.stat(path)
    return str(path), stat.st_size, stat.st_mtime_ns, opts


def _remember(key: _Key, found: tuple[RaggedRow, ...]) -> None:
    if len(_KNOWN) >= _KEEP:
        _KNOWN.clear()
    _KNOWN[key] = found


def _scan(path: str, opts: CsvOptions) -> tuple[RaggedRow, ...]:
    if not _maybe_ragged(path, opts):
        return ()
    try:
        return tuple(ragged_of(record_lengths(path, opts)))
    except (CsvError, UnicodeError, OSError):
        return ()  # the loader's checks and validation name what is wrong with the file


def _maybe_ragged(path: str, opts: CsvOptions) -> bool:
    found = False

    def count(row: arrow.InvalidRow) -> str:
        nonlocal found
        found = found or row.text != ""  # a blank line is no ragged row
        return "skip"

    try:
        with large_fields(), open(path, encoding=opts.encoding, newline="") as fh:
            header = next(records(fh, opts), [])
    except (CsvError, UnicodeError, OSError):
        return False  # the loader's checks name what is wrong with the file
    if not header:
        return False
    names = [str(i) for i in range(len(header))]
    try:
        for _ in arrow.stream(path, arrow.options(opts, names, names=True, include=names[:1],
                                                  on_invalid=count)):
            pass
    except (pa.ArrowException, UnicodeError, OSError):
        return True  # a quote Arrow cannot close: Python's csv module decides
    return found


def ragged_hint(file: str, row: int, more: bool) -> str:
    """How a finding about a ragged record names its file and the fix."""
    return (f"{file} row {row} has {'more' if more else 'fewer'} cells than its header: give "
            "every row as many cells as the header (an empty cell for no value) and quote a "
            "cell that holds the delimiter")
