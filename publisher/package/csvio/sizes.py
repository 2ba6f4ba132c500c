"""The sizes of a CSV file's records and cells, checked against the limits
before any parser reads it.

Every stage reads CSV with another parser (Python's csv module for
frictionless, Arrow for the engine and the policy scan, pandas for the whole
table), and each has its own idea of a record too large: one limit, checked here
once when the resource is loaded, makes them agree. The file is scanned in
chunks with numpy, in bounded memory: a record ends at a line break (LF, CR
LF or a lone CR) that is not inside quotes, i.e. after an even number of
quote characters (a doubled quote inside a cell keeps the count even). With
an escape character the quotes cannot be counted that way, and every line
break counts as an end: a record can then only seem shorter than it is.
Encodings whose line breaks and quotes are single bytes that never appear
inside another character (UTF-8, the Latin code pages, the East Asian
multibyte ones) are scanned as bytes; others (UTF-16, UTF-32) as decoded
characters, each counted as its narrowest width. A record larger than the
cell limit is parsed on its own to measure its cells (bytes encodings).
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from publisher import limits
from publisher.package.csvio.dialect import CsvError, CsvOptions, large_fields, records

CHUNK = 8 * 1024**2
_LF, _CR = 10, 13


@dataclass
class _State:
    start: int = 0  # offset where the current record begins
    row: int = 1  # its number (the header is row 1)
    quotes: int = 0  # quote characters seen so far
    pending_cr: int = -1  # offset of a lone-looking CR at a chunk's end


def arrow_block_size(default: int) -> int:
    """A block size for Arrow's CSV reader that fits the largest record the
    limits let through (Arrow refuses a record that straddles two blocks)."""
    return max(default, limits.current().max_row_bytes + (1 << 16))


def _units(path: Path, codec: str) -> Iterator[npt.NDArray[np.uint32] | npt.NDArray[np.uint8]]:
    with open(path, "rb") as fh:
        if _byte_scannable(codec):
            while chunk := fh.read(CHUNK):
                yield np.frombuffer(chunk, dtype=np.uint8)
            return
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        while chunk := fh.read(CHUNK):
            text = decoder.decode(chunk)
            yield np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        rest = decoder.decode(b"", final=True)
        if rest:
            yield np.frombuffer(rest.encode("utf-32-le"), dtype=np.uint32)


def encodes_as_is(codec: str, chars: str) -> bool:
    """Whether CODEC writes each of CHARS (ASCII) as its own single byte, so the
    raw bytes can be searched for them."""
    if codec == "utf-8-sig":
        return True
    try:
        return chars.encode(codec) == chars.encode("ascii")
    except UnicodeError:
        return False


def _byte_scannable(codec: str) -> bool:
    return encodes_as_is(codec, "\n\r\"',;\t|\x00")


def _width(codec: str) -> int:
    """Bytes per character at the least (what a decoded scan counts)."""
    if _byte_scannable(codec):
        return 1
    return len("a".encode(codec)) - len("".encode(codec))


def _ends(units: npt.NDArray[np.uint32] | npt.NDArray[np.uint8], base: int, state: _State,
          quote: int | None) -> npt.NDArray[np.int64]:
    """Offsets (in the file) of the record ends in this chunk: the offset of
    the LF, or of a lone CR."""
    lf = np.flatnonzero(units == _LF)
    is_cr = units == _CR
    cr = np.flatnonzero(is_cr) if is_cr.any() else np.empty(0, dtype=np.intp)
    is_quote = units == quote if quote is not None else None
    if is_quote is not None and is_quote.any():
        quotes = np.flatnonzero(is_quote)
        lf = lf[(np.searchsorted(quotes, lf) + state.quotes) % 2 == 0]
        if len(cr):
            cr = cr[(np.searchsorted(quotes, cr) + state.quotes) % 2 == 0]
        state.quotes += len(quotes)
    elif state.quotes % 2:  # the whole chunk lies inside a quoted cell
        lf, cr = lf[:0], cr[:0]
    found = [lf + base]
    if state.pending_cr >= 0:
        if not (len(units) and units[0] == _LF):
            found.append(np.array([state.pending_cr], dtype=np.int64))
        state.pending_cr = -1
    if len(cr) and cr[-1] == len(units) - 1:
        state.pending_cr = base + int(cr[-1])
        cr = cr[:-1]
    if len(cr):
        found.append(cr[units[cr + 1] != _LF] + base)
    if len(found) == 1:
        return found[0].astype(np.int64)
    return np.sort(np.concatenate(found)).astype(np.int64)


def check_csv_sizes(path: Path, opts: CsvOptions, resource: str) -> None:
    """LimitError naming the row (and field) when a record is over max_row_bytes or
    a cell over max_cell_bytes."""
    codec = codecs.lookup(opts.encoding).name
    width = _width(codec)
    quote = None if opts.escapechar else ord(opts.quotechar)
    found = limits.current()
    state = _State()
    base = 0
    for units in _units(path, codec):
        ends = _ends(units, base, state, quote)
        starts = np.concatenate([[state.start], ends[:-1] + 1]) if len(ends) else ends
        sizes = (ends - starts + 1) * width
        _check(sizes, starts, state.row, path, resource, width, found,
               opts)
        if len(ends):
            state.start = int(ends[-1]) + 1
            state.row += len(ends)
        base += len(units)
    if state.pending_cr >= 0:
        end = np.array([state.pending_cr], dtype=np.int64)
        _check((end - state.start + 1) * width, np.array([state.start]), state.row, path,
               resource, width, found, opts)
        state.start, state.row = state.pending_cr + 1, state.row + 1
    if base > state.start:
        _check(np.array([(base - state.start) * width]), np.array([state.start]), state.row,
               path, resource, width, found, opts)


def _row_name(row: int) -> str:
    return "the header (row 1)" if row == 1 else f"row {row}"


def _check(sizes: npt.NDArray[np.int64], starts: npt.NDArray[np.int64], first_row: int,
           path: Path, resource: str, width: int, found: limits.Limits,
           opts: CsvOptions) -> None:
    if not len(sizes):
        return
    over = np.flatnonzero(sizes > found.max_row_bytes)
    if len(over):
        at = int(over[0])
        raise limits.exceeded(
            "max_row_bytes", f"resource '{resource}': {_row_name(first_row + at)} of "
            f"{path.name} is {int(sizes[at]):,} bytes", unit=" bytes")
    if width != 1:
        return  # cells are measured in byte-scanned files only; their records bound them
    for index in np.flatnonzero(sizes > found.max_cell_bytes):
        _check_cells(path, int(starts[index]), int(sizes[index]), first_row + int(index),
                     resource, found.max_cell_bytes, opts)


def _check_cells(path: Path, start: int, size: int, row: int, resource: str, limit: int,
                 opts: CsvOptions) -> None:
    codec = codecs.lookup(opts.encoding).name
    with open(path, "rb") as fh:
        data = os.pread(fh.fileno(), size, start)
    text = data.decode(codec, errors="replace")
    try:
        with large_fields(size + 1):
            cells = next(records(io.StringIO(text, newline=""), opts), [])
    except CsvError:
        return  # the parsers report the malformed record
    measure = "utf-8" if codec == "utf-8-sig" else codec  # no byte order mark per cell
    for number, cell in enumerate(cells, start=1):
        size_of = len(cell.encode(measure, errors="replace"))
        if size_of > limit:
            raise limits.exceeded(
                "max_cell_bytes", f"resource '{resource}': {_row_name(row)} of {path.name}, "
                f"{_field(path, opts, number, row)}, holds a value of {size_of:,} bytes",
                unit=" bytes")


def _field(path: Path, opts: CsvOptions, number: int, row: int) -> str:
    """'field 'name'' for cell `number` of a record, from the header."""
    if row == 1:
        return f"label {number}"
    codec = codecs.lookup(opts.encoding).name
    try:
        with large_fields(limits.current().max_row_bytes + 1), \
                open(path, encoding=codec, errors="replace", newline="") as fh:
            header = next(records(fh, opts), [])
    except CsvError:
        header = []
    if number > len(header):
        return f"cell {number} (beyond the header)"
    label = header[number - 1]
    return f"field {label if len(label) <= 80 else label[:77] + '...'!r}"
