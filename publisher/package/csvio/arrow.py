"""Arrow's CSV parser (pyarrow.csv), set up with the same dialect and row rules
as Python's csv module: every column as text, empty cells as "" (never null),
quoted line breaks kept in their cell, blank lines kept.

Arrow cannot tell a record's row number once it skips one, so a row it cannot
place (a blank line, or a record with more or fewer cells than the header) goes
to a handler: StopAtIrregular stops the read, and the caller reads the records
another way (Irregular: the whole-table reader, which applies the row rules);
the engine's handler keeps the texts, and Python's csv module places them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from publisher.package.csvio.dialect import CsvOptions
from publisher.package.csvio.sizes import arrow_block_size

InvalidRow = pacsv.InvalidRow
Handler = Callable[[Any], str]
DEFAULT_BLOCK = 1 << 22


class Irregular(Exception):
    """A blank line or a ragged record where Arrow reads: Arrow's row numbers
    no longer are the file's, so the caller reads the records another way."""


class StopAtIrregular:
    """An invalid-row handler that stops the read at the first blank or ragged
    row: Arrow then raises ArrowInvalid, and `met` tells that this was why (an
    exception raised in a handler is only printed by pyarrow, not raised)."""

    def __init__(self) -> None:
        self.met = False

    def __call__(self, row: Any) -> str:
        self.met = True
        return "error"


def arrow_encoding(opts: CsvOptions) -> str:
    return "utf8" if opts.encoding in ("utf-8-sig", "utf-8") else opts.encoding


def options(opts: CsvOptions, columns: Sequence[str], *, on_invalid: Handler,
            names: bool = False, header: bool = True,
            include: Sequence[str] | None = None, newlines: bool = True,
            block_size: int | None = None, threads: bool = True,
            kind: pa.DataType | None = None) -> dict[str, Any]:
    """Keyword arguments for pacsv.open_csv / read_csv: the `columns` of the header
    as text (or `kind`), `include` of them (default: all). With `names` the
    columns are given their names here and the header row is skipped (a source
    without one: header=False); without, Arrow takes them from the header row.
    `newlines`: whether a quoted cell may hold a line break (False is faster:
    records are cut at every line break). A block must hold the largest record
    (sizes.arrow_block_size gives one that does)."""
    read = pacsv.ReadOptions(encoding=arrow_encoding(opts), use_threads=threads,
                             block_size=block_size or arrow_block_size(DEFAULT_BLOCK))
    if names:
        read.column_names, read.skip_rows = list(columns), 1 if header else 0
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(columns, kind or pa.string()),
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    if include is not None:
        convert.include_columns = list(include)
    return {
        "read_options": read,
        "parse_options": pacsv.ParseOptions(
            delimiter=opts.delimiter, quote_char=opts.quotechar,
            double_quote=opts.doublequote, escape_char=opts.escapechar or False,
            newlines_in_values=newlines, ignore_empty_lines=False,
            invalid_row_handler=on_invalid),
        "convert_options": convert,
    }


def stream(source: Any, kwargs: dict[str, Any]) -> Iterator[pa.RecordBatch]:
    """Record batches of a file (or buffer) read with `options(...)`; the first
    block is parsed here (errors in it raise at once)."""
    reader: Iterator[pa.RecordBatch] = pacsv.open_csv(source, **kwargs)
    return reader


def read(source: Any, kwargs: dict[str, Any]) -> pa.Table:
    """The whole of a file (or buffer) read with `options(...)`."""
    return pacsv.read_csv(source, **kwargs)
