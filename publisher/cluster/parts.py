"""A CSV file cut into byte ranges that the workers read themselves; or the row
groups of a partitioned GeoParquet resource (ParquetPart), which the workers
read themselves too.

Ranges of about `part_bytes` are cut at record ends: a line break (LF, CR LF or
a lone CR) outside quotes, as publisher.package.csvio.sizes counts them. Whether a
cut point lies inside quotes depends on every quote before it, so the cut takes
two passes on the workers: each range counts its quote characters and finds the
first record end after its start for both cases (inside quotes or not); the
client adds the counts up and picks the one that holds. Only byte encodings
whose line breaks and quote are single ASCII bytes are cut (UTF-8, Latin);
others are read by the client as before.

Each range is parsed with the options of the single-process reader
(publisher.package.batches, through publisher.package.csvio.arrow): every
column as text, empty cells as "", quoted line breaks kept, a blank line or a
ragged record reported (the single-process reader then falls back to the
whole-table reader and its row rules, so the client does too).
"""

from __future__ import annotations

import codecs
import itertools
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from publisher.package.csvio import CsvOptions, arrow
from publisher.package.readers._parquetset import ParquetSet, text_piece

# codecs (codecs.lookup(...).name) in which "\n", "\r" and an ASCII quote are
# single bytes that never occur inside another character
BYTE_CODECS = frozenset({"utf-8", "utf-8-sig", "ascii", "iso8859-1", "iso8859-15", "cp1252"})
_READ = 1 << 16


class BlankLine(Exception):
    """A range holds a blank line or a ragged record: the resource is read by the client."""


class Unparsable(Exception):
    """A range's records cannot be parsed (the client names the resource)."""


@dataclass(frozen=True)
class Part:
    """One range of records, [start, end) in bytes, with the header to parse it."""

    path: str
    start: int
    end: int
    header: bytes  # the file's bytes before the first record (BOM and header row)
    options: CsvOptions
    columns: tuple[str, ...]  # all header labels
    wanted: tuple[str, ...]  # the text columns read


@dataclass(frozen=True)
class ParquetPart:
    """One row group of one file of a partitioned GeoParquet resource: the file's
    path and what its footer says, never its records."""

    dataset: ParquetSet  # narrowed to the file (ParquetSet.only)
    file: int
    group: int
    rows: int
    wanted: tuple[str, ...]  # the columns read, as text
    resource: str


AnyPart = Part | ParquetPart


def can_cut(opts: CsvOptions) -> bool:
    """Whether a file with these options can be cut into byte ranges here."""
    codec = codecs.lookup(opts.encoding).name
    return (codec in BYTE_CODECS and opts.escapechar is None and opts.quotechar.isascii()
            and opts.delimiter.isascii())


def ranges(size: int, first: int, part_bytes: int) -> list[tuple[int, int]]:
    """[start, end) ranges of about part_bytes covering first..size."""
    bounds = [*range(first, size, max(1, part_bytes)), size]
    return list(itertools.pairwise(bounds))


def record_start(path: str, at: int, inside: bool, quote: bytes) -> int:
    """The first byte after the first record end at or after `at`, given whether
    `at` lies inside quotes; the file size when no record ends after it."""
    stops = re.compile(b"[" + re.escape(quote) + b"\r\n]")
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(at)
        pos = at
        pending_cr = False
        while True:
            block = fh.read(_READ)
            if not block:
                return size
            if pending_cr:  # a CR ended the previous block: CR LF, or a lone CR
                return pos + 1 if block[:1] == b"\n" else pos
            for match in stops.finditer(block):
                char = match.group()
                if char == quote:
                    inside = not inside
                elif not inside:
                    end = pos + match.end()
                    if char == b"\n":
                        return end
                    if match.end() < len(block):
                        return end + 1 if block[match.end():match.end() + 1] == b"\n" else end
                    pending_cr = True
                    break
            pos += len(block)


def quotes_in(path: str, start: int, end: int, quote: bytes, size: int) -> int:
    """Pass one on a worker: the quote characters in the range. (Where a range's
    first record starts depends on whether the quotes before it are odd; searched
    for with the wrong parity every record end looks quoted and the search runs to
    the end of the file, so the client asks for each start once the counts are in.)"""
    if os.path.getsize(path) != size:
        raise FileNotFoundError(f"{path} has another size on this worker")
    quotes = 0
    with open(path, "rb") as fh:
        fh.seek(start)
        left = end - start
        while left > 0:
            block = fh.read(min(_READ * 16, left))
            if not block:
                break
            quotes += block.count(quote)
            left -= len(block)
    return quotes


def read_part(part: AnyPart) -> pa.Table:
    """Pass two on a worker: the range's records, the wanted columns as text (a row
    group's as the single-process scan makes them, publisher.package.batches)."""
    if isinstance(part, ParquetPart):
        return text_piece(part.dataset, part.file, part.group, list(part.wanted),
                          part.resource)
    with open(part.path, "rb") as fh:
        fh.seek(part.start)
        body = fh.read(part.end - part.start)
    stop = arrow.StopAtIrregular()
    kwargs = arrow.options(part.options, part.columns, include=part.wanted,
                           block_size=max(1 << 20, len(body) + 1), on_invalid=stop)
    try:
        return arrow.read(pa.BufferReader(part.header + body), kwargs)
    except pa.ArrowInvalid as exc:
        if stop.met:
            raise BlankLine from None
        raise Unparsable(str(exc)) from None


def header_end(path: Path, quote: bytes) -> int:
    """The byte offset of the first record (after the header row)."""
    return record_start(str(path), 0, False, quote)
