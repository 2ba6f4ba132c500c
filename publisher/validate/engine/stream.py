"""Stream a CSV file as record batches of text, with frictionless's row numbers.

Arrow reads the file in pieces, every column as text, blank lines kept (they
come back as rows of empty cells). A file is cut at newlines into byte
ranges that worker threads parse side by side (`tasks`) as long as no quoted
cell holds a line break (an even number of quote characters before every line
break); a file with one is read as one Arrow stream instead. A plain UTF-8
range (no quote character, every line as wide as the header) is split by the
compiled splitter (native.split), the others by Arrow's parser. Rows
with a different number of cells than the header are handed to a callback
instead; when there are any, one pass of Python's csv module (the parser
frictionless uses) over the file gives each record's cell count, which
places the Arrow rows and the ragged rows at their row numbers. The count of
records both parsers see must agree, or the resource goes to frictionless.
Both parsers are set up by publisher.package.csvio (its arrow and rows
modules), the one CSV reading module, with the loader's dialect.
"""

from __future__ import annotations

import functools
import mmap
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from publisher.package.csvio import (
    CsvError,
    CsvOptions,
    arrow,
    arrow_block_size,
    record_lengths,
)
from publisher.package.csvio.rows import split_record
from publisher.validate.engine import native
from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.plan import Plan

BLOCK_SIZE = 8 << 20
CHUNK_SIZE = 8 << 20
# Encodings in which b"\n" is always a newline and never part of another character.
_SPLITTABLE = {"utf-8", "utf-8-sig", "ascii", "latin-1", "iso8859-1", "iso8859-15", "cp1252"}


@dataclass
class Ragged:
    """Rows Arrow refused: their text, in file order."""

    texts: list[str] = field(default_factory=list)

    def handler(self, row: arrow.InvalidRow) -> str:
        self.texts.append(row.text)
        return "skip"


def _has_quotes(path: str, quote: bytes) -> bool:
    # Plain reads, not mmap: touched pages of a mapping count as resident memory.
    with open(path, "rb") as handle:
        while chunk := handle.read(BLOCK_SIZE):
            if quote in chunk:
                return True
    return False


def _csv(plan: Plan) -> CsvOptions:
    """The plan's dialect as the CSV reading module takes it."""
    return CsvOptions(encoding=plan.encoding, delimiter=plan.delimiter,
                      quotechar=plan.quote_char, doublequote=plan.double_quote)


def _options(plan: Plan, ragged: Ragged, newlines: bool, header: bool, block_size: int,
             threads: bool, kind: pa.DataType | None = None) -> dict[str, Any]:
    """Columns named 0..n-1; the header row skipped where the source has one."""
    names = [str(i) for i in range(len(plan.labels))]
    return arrow.options(_csv(plan), names, names=True, header=header, newlines=newlines,
                         block_size=block_size, threads=threads, kind=kind,
                         on_invalid=ragged.handler)


_UNREADABLE = ("the file does not parse cleanly as CSV (encoding or quoting); "
               "frictionless reports it")


def batches(plan: Plan, ragged: Ragged) -> Iterator[pa.RecordBatch]:
    """Record batches of all-text columns named 0..n-1 (the header row skipped)."""
    quote = plan.quote_char.encode(plan.encoding, errors="replace")
    newlines = _has_quotes(plan.path, quote)
    try:
        yield from arrow.stream(plan.path, _options(
            plan, ragged, newlines, True, arrow_block_size(BLOCK_SIZE), True))
    except (pa.ArrowException, UnicodeDecodeError, OSError) as exc:
        raise Unsupported(_UNREADABLE) from exc


@dataclass
class Piece:
    """Text columns of consecutive records, and the ragged ones among them."""

    columns: list[pa.Array]
    rows: int
    ragged: list[str]
    size: int = 0  # bytes of the file parsed into it (0: not known), for progress


Task = Callable[[], Piece]


class Quoted(Exception):
    """A quoted cell in a byte range may hold a line break: records may span lines."""


_LOCAL = threading.local()
_HUGE_PAGE = 2 << 20


def _read_range(path: str, start: int, stop: int) -> tuple[mmap.mmap, int]:
    """Bytes start..stop of the file, in a buffer this thread keeps for its
    next range: a fresh 8 MB buffer per range costs thousands of page faults,
    which on some machines cost more than parsing it (Arrow copies the cells,
    so nothing refers to the buffer once a range is parsed). Huge pages, where
    the kernel offers them, turn the first range's 2,048 faults into 4."""
    size = stop - start
    held: mmap.mmap | None = getattr(_LOCAL, "buffer", None)
    if held is None or len(held) < size:
        length = -(-max(size, CHUNK_SIZE + (1 << 16)) // _HUGE_PAGE) * _HUGE_PAGE
        held = _LOCAL.buffer = mmap.mmap(-1, length,
                                         flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        if hasattr(mmap, "MADV_HUGEPAGE"):
            held.madvise(mmap.MADV_HUGEPAGE)
    with open(path, "rb") as handle, memoryview(held) as view:
        got = os.preadv(handle.fileno(), [view[:size]], start)
    return held, got


def _parse_range(plan: Plan, start: int, stop: int) -> Piece:
    held, size = _read_range(plan.path, start, stop)
    quote = plan.quote_char.encode(plan.encoding, errors="replace")
    data = memoryview(held)[:size]
    utf8 = plan.encoding in _UTF8
    if held.find(quote, 0, size) >= 0:
        if not _one_record_per_line(data, quote, plan):
            raise Quoted
    elif utf8 and len(plan.delimiter) == 1 and len(plan.quote_char) == 1:
        plain = native.split(data, plan.delimiter, plan.quote_char, len(plan.labels))
        if plain is not None:
            return Piece(plain, len(plain[0]), [], size)
    ragged = Ragged()
    # UTF-8 text is parsed as bytes and checked once for the whole range:
    # cheaper than Arrow checking cell by cell (cells split at ASCII bytes,
    # so a valid range has only valid cells).
    buffer = pa.py_buffer(data)
    try:
        if utf8:
            _check_utf8(buffer)
        table = arrow.read(pa.BufferReader(buffer), _options(
            plan, ragged, False, False, size + 1, False, pa.binary() if utf8 else pa.string()))
    except (pa.ArrowException, UnicodeDecodeError, OSError) as exc:
        raise Unsupported(_UNREADABLE) from exc
    del data, buffer
    columns = [column.combine_chunks() for column in table.columns]
    if utf8:
        columns = [column.view(pa.string()) for column in columns]
    return Piece(columns, table.num_rows, ragged.texts, size)


_UTF8 = ("utf-8", "utf-8-sig")


def _one_record_per_line(data: memoryview, quote: bytes, plan: Plan) -> bool:
    """Whether no quoted cell in the range holds a line break: before every CR
    and LF an even number of quote characters (doubled quotes inside a cell
    keep the count even). Then cutting at newlines cuts between records."""
    if not plan.double_quote or len(quote) != 1:
        return False
    text = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(text == quote[0])
    if len(quotes) % 2:
        return False
    breaks = np.flatnonzero((text == 10) | (text == 13))
    return not bool(np.any(np.searchsorted(quotes, breaks) & 1))


def _check_utf8(buffer: pa.Buffer) -> None:
    """Raise ArrowInvalid unless `buffer` is valid UTF-8."""
    offsets = pa.py_buffer(np.array([0, buffer.size], dtype=np.int64).tobytes())
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, buffer])
    whole.cast(pa.large_string())


def _newline_after(fd: int, offset: int, size: int) -> int:
    """The offset just past the first b"\\n" at or after `offset` (or `size`)."""
    while offset < size:
        window = os.pread(fd, 1 << 16, offset)
        found = window.find(b"\n")
        if found >= 0:
            return offset + found + 1
        offset += len(window)
    return size


def _ranges(plan: Plan, workers: int = 1) -> list[tuple[int, int]] | None:
    """Byte ranges of whole records after the header, split at newlines, or
    None when the header line is not plainly one (a lone CR, no newline at
    all) or the encoding may hold b"\\n" inside a character (UTF-16 ...).
    Whether a quoted cell holds a line break, which would put a record on
    several lines, each task checks in its own range (Quoted). The ranges
    are of about one size, at most CHUNK_SIZE, and as many as a multiple of
    `workers`, so that the workers run out of work at about the same time."""
    if plan.encoding not in _SPLITTABLE:
        return None
    with open(plan.path, "rb") as handle:
        fd = handle.fileno()
        size = os.fstat(fd).st_size
        start = _newline_after(fd, 0, size)
        header = os.pread(fd, start, 0)
        quote = plan.quote_char.encode(plan.encoding, errors="replace")
        if not header.endswith(b"\n") or b"\r" in header[:-2] or start <= 1 \
                or header.count(quote) % 2:
            return None
        count = -(-max(1, -(-(size - start) // CHUNK_SIZE)) // workers) * workers
        step = max(1, -(-(size - start) // count))
        ranges = []
        while start < size:
            stop = _newline_after(fd, start + step, size)
            ranges.append((start, stop))
            start = stop
    return ranges


def tasks(plan: Plan, ragged: Ragged, split: bool = True, workers: int = 1) -> Iterator[Task]:
    """Parsing work in file order. Records split at newlines parse in
    parallel (each task reads its own byte range, and raises Quoted when
    the split may be wrong: call again with split=False); otherwise one Arrow
    stream parses here, and the tasks only hand its blocks on."""
    ranges = _ranges(plan, workers) if split else None
    if ranges is None:
        for batch in batches(plan, ragged):
            yield functools.partial(Piece, list(batch.columns), batch.num_rows, [])
        return
    for start, stop in ranges:
        yield functools.partial(_parse_range, plan, start, stop)


def record_lengths_of(plan: Plan) -> npt.NDArray[np.int64]:
    """Cells per data record, by Python's csv module as frictionless reads it."""
    try:
        lengths = record_lengths(plan.path, _csv(plan))
    except (CsvError, UnicodeDecodeError, OSError) as exc:
        raise Unsupported("the csv module cannot read the file") from exc
    return lengths[1:]


def ragged_cells(plan: Plan, text: str) -> list[str]:
    return split_record(text, _csv(plan))


@dataclass
class RowMap:
    """Row numbers of Arrow's rows (in order) and of the ragged ones."""

    arrow: npt.NDArray[np.int64]
    ragged: npt.NDArray[np.int64]


def row_map(plan: Plan, arrow_rows: int, ragged: Ragged) -> RowMap | None:
    """None when no row was ragged: Arrow row k is then row k + 2."""
    if not ragged.texts:
        return None
    lengths = record_lengths_of(plan)
    width = len(plan.labels)
    regular = (lengths == width) | (lengths == 0)
    arrow = np.flatnonzero(regular) + 2
    odd = np.flatnonzero(~regular) + 2
    if len(arrow) != arrow_rows or len(odd) != len(ragged.texts):
        raise Unsupported("Arrow and Python's csv module split the records differently")
    return RowMap(arrow=arrow.astype(np.int64), ragged=odd.astype(np.int64))


def split_ranges(plan: Plan) -> list[tuple[int, int]] | None:
    """The byte ranges of whole records `tasks` would parse side by side, for
    workers elsewhere (publisher.cluster.validate), each parsed by parse_range;
    None when the file cannot be cut at newlines."""
    return _ranges(plan)


def parse_range(plan: Plan, start: int, stop: int) -> Piece:
    """One range of split_ranges parsed; Quoted when its quoted cells may hold
    line breaks (the file is then read as one stream)."""
    return _parse_range(plan, start, stop)
