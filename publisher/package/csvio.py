"""CSV reading: every cell as text, row numbers as frictionless counts them.

The header is row 1 and the first record row 2; blank lines count as rows (and
come back as rows of empty cells, for validation to report), quoted line breaks
do not. Rows with more or fewer cells than the header make the file unusable.
"""

from __future__ import annotations

import codecs
import csv
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from publisher.errors import InputError

_ROW_IN_PARSER_ERROR = r"Expected (\d+) fields in line (\d+), saw (\d+)"


@dataclass(frozen=True)
class CsvOptions:
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    quotechar: str = '"'
    doublequote: bool = True
    escapechar: str | None = None
    skipinitialspace: bool = False


def _dialect(descriptor: dict[str, Any], resource: str) -> dict[str, Any]:
    dialect = descriptor.get("dialect") or {}
    if not isinstance(dialect, dict):
        # a path would be opened by frictionless, outside the loader's path checks
        raise InputError(
            f"resource '{resource}': dialect must be an object",
            hint='give the dialect inline, e.g. "dialect": {"delimiter": ";"}',
        )
    # frictionless v5 form: {"controls": [{"type": "csv", "delimiter": ";"}]}
    for control in dialect.get("controls") or []:
        if isinstance(control, dict) and control.get("type") == "csv":
            return {**dialect, **control}
    csv_part = dialect.get("csv")
    return {**dialect, **csv_part} if isinstance(csv_part, dict) else dialect


def csv_options(descriptor: dict[str, Any], resource: str) -> CsvOptions:
    """Encoding and dialect from a resource descriptor, checked."""
    encoding = str(descriptor.get("encoding") or "utf-8")
    try:
        codec = codecs.lookup(encoding).name
    except LookupError as exc:
        raise InputError(f"resource '{resource}': unknown encoding {encoding!r}") from exc
    if not getattr(codecs.lookup(codec), "_is_text_encoding", True):
        raise InputError(f"resource '{resource}': {encoding!r} is not a text encoding")
    dialect = _dialect(descriptor, resource)
    if dialect.get("header") is False:
        raise InputError(
            f"resource '{resource}': CSV files without a header row are not supported yet"
        )
    opts = CsvOptions(
        encoding="utf-8-sig" if codec == "utf-8" else codec,
        delimiter=str(dialect.get("delimiter", ",")),
        quotechar=str(dialect.get("quoteChar", '"')),
        doublequote=bool(dialect.get("doubleQuote", True)),
        escapechar=dialect.get("escapeChar") or None,
        skipinitialspace=bool(dialect.get("skipInitialSpace", False)),
    )
    for key, value in (("delimiter", opts.delimiter), ("quoteChar", opts.quotechar)):
        if len(value) != 1 or value in "\r\n":
            raise InputError(
                f"resource '{resource}': dialect {key} must be one character, not {value!r}"
            )
    if opts.escapechar is not None and len(str(opts.escapechar)) != 1:
        raise InputError(f"resource '{resource}': dialect escapeChar must be one character")
    return opts


def _csv_kwargs(opts: CsvOptions) -> dict[str, Any]:
    return {
        "delimiter": opts.delimiter,
        "quotechar": opts.quotechar,
        "doublequote": opts.doublequote,
        "escapechar": opts.escapechar,
        "skipinitialspace": opts.skipinitialspace,
    }


@contextmanager
def _large_fields() -> Iterator[None]:
    """Allow long cells (big WKT polygons) in the csv module for a moment."""
    old = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(old)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_csv_start(path: Path, opts: CsvOptions, resource: str) -> None:
    """Refuse a file whose byte order mark contradicts the declared encoding, and
    a file without a header row."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV file") from exc
    declared = codecs.lookup(opts.encoding).name
    for bom, family in _BOMS:
        if head.startswith(bom) and not declared.startswith(family):
            name = "utf-8" if opts.encoding == "utf-8-sig" else opts.encoding
            raise InputError(
                f"resource '{resource}': the file starts with a {family.upper()} byte order "
                f"mark but the resource declares {name}",
                hint=f'set "encoding": "{family}" on the resource, or save the file as UTF-8',
            )
    if not read_header(path, opts, resource):
        raise InputError(f"resource '{resource}': the CSV file is empty (no header row)")


def read_header(path: Path, opts: CsvOptions, resource: str) -> list[str]:
    """The header row's labels (empty list for an empty file)."""
    try:
        with _large_fields(), open(path, encoding=opts.encoding, newline="") as fh:
            return next(csv.reader(fh, **_csv_kwargs(opts)), [])
    except UnicodeError as exc:
        raise _decode_error(resource, opts) from exc
    except (csv.Error, OSError) as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV header") from exc


def _decode_error(resource: str, opts: CsvOptions) -> InputError:
    name = "utf-8" if opts.encoding == "utf-8-sig" else opts.encoding
    return InputError(
        f"resource '{resource}': the file cannot be decoded as {name}",
        hint="set `encoding` on the resource (for example cp1252 or latin-1)",
    )


def _ragged(resource: str, row: int, more: bool) -> InputError:
    which = "more" if more else "fewer"
    return InputError(
        f"resource '{resource}': row {row} has {which} cells than the header",
        hint="every row must have as many cells as the header",
    )


def read_csv_table(path: Path, opts: CsvOptions, resource: str) -> pd.DataFrame:
    """All records as text, indexed by row number (first record = 2)."""
    try:
        raw = pd.read_csv(
            path,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            encoding=opts.encoding,
            sep=opts.delimiter,
            quotechar=opts.quotechar,
            doublequote=opts.doublequote,
            escapechar=opts.escapechar,
            skipinitialspace=opts.skipinitialspace,
            engine="c",
        )
    except pd.errors.EmptyDataError as exc:
        raise InputError(f"resource '{resource}': the CSV file is empty (no header row)") from exc
    except UnicodeError as exc:
        raise _decode_error(resource, opts) from exc
    except pd.errors.ParserError as exc:
        match = re.search(_ROW_IN_PARSER_ERROR, str(exc))
        if match:
            raise _ragged(resource, int(match.group(2)), more=True) from exc
        raise InputError(
            f"resource '{resource}': the CSV file cannot be parsed "
            "(for example a quote that is never closed)"
        ) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV file") from exc
    header = [str(h) for h in raw.iloc[0].tolist()]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise InputError(
            f"resource '{resource}': duplicate column names in the header: "
            + ", ".join(repr(d) for d in duplicates)
        )
    table = raw.iloc[1:].copy()
    table.columns = pd.Index(header)
    table.index = pd.RangeIndex(2, len(table) + 2)
    if len(header) > 1 and len(table) and (table.iloc[:, -1] == "").any():
        _check_short_rows(path, opts, resource, len(header))
    return table


def _check_short_rows(path: Path, opts: CsvOptions, resource: str, width: int) -> None:
    """pandas pads short rows with empty cells; the csv module tells them apart
    from blank lines (no cells) and rows whose last cell is empty. Counting
    runs in C (`map(len, reader)` into numpy), with no Python loop per row."""
    try:
        with _large_fields(), open(path, encoding=opts.encoding, newline="") as fh:
            lengths = np.fromiter(map(len, csv.reader(fh, **_csv_kwargs(opts))), dtype=np.int64)
    except (csv.Error, UnicodeError, OSError):
        return  # pandas read the file; its result stands
    bad = np.flatnonzero((lengths > 0) & (lengths != width))
    if bad.size:
        raise _ragged(resource, int(bad[0]) + 1, more=bool(lengths[bad[0]] > width))
