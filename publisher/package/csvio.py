"""CSV reading: every cell as text, row numbers as frictionless counts them.

The header is row 1 and the first record row 2; blank lines count as rows (and
come back as rows of empty cells, for validation to report), quoted line breaks
do not. Rows with more or fewer cells than the header make the file unusable,
and so does a NUL character anywhere in it.
"""

from __future__ import annotations

import codecs
import collections
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

from publisher import limits
from publisher.errors import InputError
from publisher.package.csvsize import check_csv_sizes

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


def _check_header_options(dialect: dict[str, Any], resource: str) -> None:
    """Refuse the dialect options this reader does not apply: every stage reads
    the file here, so validating them elsewhere would let `validate` pass a file
    that `check` and `run` read differently."""
    if dialect.get("header") is False:
        raise InputError(
            f"resource '{resource}': CSV files without a header row are not supported",
            hint="add a header row with the field names as the first line of the file",
        )
    rows = dialect.get("headerRows")
    if rows is not None and rows != [1]:
        raise InputError(
            f"resource '{resource}': dialect headerRows other than [1] is not supported",
            hint="make the first line of the file the one header row",
        )
    for key in ("commentChar", "commentRows"):
        if dialect.get(key):
            raise InputError(
                f"resource '{resource}': dialect {key} (comment lines) is not supported",
                hint="remove the comment lines from the file and the option from the dialect",
            )
    if dialect.get("skipBlankRows"):
        raise InputError(
            f"resource '{resource}': dialect skipBlankRows is not supported",
            hint="remove the blank rows from the file and the option from the dialect",
        )


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
    _check_header_options(dialect, resource)
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


_COMPRESSED = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def check_csv_start(path: Path, opts: CsvOptions, resource: str) -> None:
    """Refuse a compressed file, a file whose byte order mark contradicts the
    declared encoding, a file that does not decode in its encoding, a record or
    cell over the limits (publisher.package.csvsize), a file without a header row
    or with more columns than the limit, and a file holding a NUL character."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV file") from exc
    compressed = next((name for magic, name in _COMPRESSED if head.startswith(magic)), None)
    if compressed is not None:
        raise InputError(
            f"resource '{resource}': {path.name} is {compressed}-compressed; compressed "
            "resources are not supported",
            hint="decompress the file and give the path of the plain CSV",
        )
    declared = codecs.lookup(opts.encoding).name
    bom_family = next((family for bom, family in _BOMS if head.startswith(bom)), None)
    if bom_family is not None and not declared.startswith(bom_family):
        name = "utf-8" if opts.encoding == "utf-8-sig" else opts.encoding
        raise InputError(
            f"resource '{resource}': the file starts with a {bom_family.upper()} byte order "
            f"mark but the resource declares {name}",
            hint=f'set "encoding": "{bom_family}" on the resource, or save the file as UTF-8',
        )
    check_decodes(path, opts, resource)
    check_csv_sizes(path, opts.encoding, opts.quotechar, opts.escapechar, opts.delimiter,
                    resource)
    header = read_header(path, opts, resource)
    if not header:
        raise InputError(f"resource '{resource}': the CSV file is empty (no header row)")
    if len(header) > limits.current().max_columns:
        raise limits.exceeded("max_columns",
                              f"resource '{resource}': {path.name} has {len(header):,} columns")
    check_no_nul(path, opts, resource)


def _newline_is_byte(codec: str) -> bool:
    if codec == "utf-8-sig":  # its encoder starts with a byte order mark
        return True
    try:
        return "\n".encode(codec) == b"\n"
    except UnicodeError:
        return False


def check_decodes(path: Path, opts: CsvOptions, resource: str) -> None:
    """Refuse a file that does not decode in its encoding (UTF-8 unless the
    resource declares one), wherever in the file the first bad byte lies: every
    stage reads the whole file, so a guess from its first bytes would let one
    stage accept what another refuses."""
    codec = codecs.lookup(opts.encoding).name
    decoder = codecs.getincrementaldecoder(codec)()
    utf8 = codec in ("utf-8", "utf-8-sig")  # where an ASCII chunk needs no decoding
    offset = 0  # of the chunk in the file
    lines = 0  # newline bytes before the chunk, where a newline is one byte
    counted = _newline_is_byte(codec)
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                state = decoder.getstate()[0]
                pending = state if isinstance(state, bytes) else b""
                if not (utf8 and not pending and chunk.isascii()):
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError as exc:
                        bad = max(offset - len(pending) + exc.start, 0)
                        before = chunk[: max(bad - offset, 0)].count(b"\n")
                        where = f"line {lines + before + 1}, " if counted else ""
                        raise _decode_error(resource, opts, f" ({where}byte {bad + 1})") from None
                    except UnicodeError:  # UTF-16/32 without a byte order mark
                        raise _decode_error(resource, opts, " (no byte order mark at its "
                                                            "start)") from None
                offset += len(chunk)
                lines += chunk.count(b"\n") if counted else 0
            decoder.decode(b"", final=True)
    except UnicodeError:  # a decode error, or UTF-16/32 too short for a byte order mark
        raise _decode_error(resource, opts, " (at its end)") from None
    except OSError as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV file") from exc


_CHUNK = 1024**2


def _nul_is_zero_byte(codec: str) -> bool:
    if codec == "utf-8-sig":
        return True
    try:
        return "\x00".encode(codec) == b"\x00"
    except UnicodeError:
        return False


def _has_nul(path: Path, opts: CsvOptions) -> bool:
    """Whether the text holds a NUL character. Where NUL is the byte 0 (UTF-8,
    single-byte and East Asian codecs) the bytes are searched as they are;
    UTF-16, UTF-32 and the like are decoded first."""
    codec = codecs.lookup(opts.encoding).name
    with open(path, "rb") as fh:
        if _nul_is_zero_byte(codec):
            buffer = bytearray(_CHUNK)
            while size := fh.readinto(buffer):
                if buffer.find(0, 0, size) >= 0:
                    return True
            return False
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        while chunk := fh.read(_CHUNK):
            if "\x00" in decoder.decode(chunk):
                return True
        return "\x00" in decoder.decode(b"", final=True)


def _lines_to_nul(lines: Iterator[str]) -> Iterator[str]:
    """The lines up to the first NUL character, the last one cut just after it."""
    for line in lines:
        cut = line.find("\x00")
        if cut >= 0:
            yield line[: cut + 1]
            return
        yield line


def _nul_position(path: Path, opts: CsvOptions) -> tuple[int, list[str], int] | None:
    """Row (as frictionless counts them), header and cell index of the first NUL;
    None when the csv module cannot parse the file up to it."""
    try:
        with _large_fields(), open(path, encoding=opts.encoding, errors="replace",
                                   newline="") as fh:
            reader = csv.reader(_lines_to_nul(fh), **_csv_kwargs(opts))
            header = next(reader, [])
            if any("\x00" in label for label in header):
                return 1, header, len(header) - 1
            # the reader stops at the record holding the NUL, in its last cell
            last = collections.deque(enumerate(reader, start=2), maxlen=1)
    except (csv.Error, OSError):
        return None
    if not last:
        return None
    row, cells = last[0]
    return row, header, len(cells) - 1


def check_no_nul(path: Path, opts: CsvOptions, resource: str) -> None:
    """Refuse a file holding a NUL character. It is not text: PostgreSQL (under
    CKAN's datastore) cannot store it, C tools cut strings at it; and neither
    validation engine reports it, so it is refused here, before either runs."""
    try:
        if not _has_nul(path, opts):
            return
    except OSError as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV file") from exc
    where = ""
    found = _nul_position(path, opts)
    if found is not None:
        row, header, cell = found
        if row == 1:
            where = f" in the header (row 1), label {cell + 1}"
        elif cell < len(header):
            label = header[cell] if len(header[cell]) <= 80 else header[cell][:77] + "..."
            where = f" in row {row}, field {label!r}"
        else:
            where = f" in row {row}, cell {cell + 1} (beyond the header)"
    raise InputError(
        f"resource '{resource}': {path.name} holds a NUL character (U+0000){where}",
        hint="remove the NUL characters; if the file is UTF-16 or UTF-32, declare that "
        "encoding on the resource",
    )


_SNIFF_LINES = 100  # frictionless's sample: the first 100 lines
_SNIFF_DELIMITERS = ",\t;|"


def sniffed_dialect(path: Path, descriptor: dict[str, Any], resource: str) -> dict[str, Any]:
    """The dialect options frictionless would guess from the first lines, for
    those the resource does not declare.

    frictionless (and so `validate`) guesses the delimiter, quote and escape
    characters when none is declared; every other stage must read the same
    columns, or a semicolon-separated file is one column to the privacy check."""
    declared = _dialect(descriptor, resource)
    if all(k in declared for k in ("delimiter", "quoteChar", "escapeChar", "skipInitialSpace")):
        return {}
    encoding = str(descriptor.get("encoding") or "utf-8")
    sample: list[str] = []
    try:
        with open(path, encoding=encoding, newline="") as fh:
            for line in fh:
                sample.append(line)
                if len(sample) >= _SNIFF_LINES:
                    break
    except (UnicodeError, OSError, LookupError):
        return {}  # check_csv_start names the problem
    allowed = declared.get("delimiter") or (
        "\t" if str(descriptor.get("format") or "").lower() == "tsv" else _SNIFF_DELIMITERS)
    try:
        found: Any = csv.Sniffer().sniff("".join(sample), str(allowed))
    except csv.Error:
        found = csv.excel()
    guessed = {
        "delimiter": found.delimiter,
        "quoteChar": '"' if found.quotechar == "'" else found.quotechar,
        "escapeChar": found.escapechar,
        "skipInitialSpace": bool(found.skipinitialspace),
    }
    defaults = {"delimiter": ",", "quoteChar": '"', "escapeChar": None, "skipInitialSpace": False}
    return {key: value for key, value in guessed.items()
            if key not in declared and value != defaults[key]}


def read_header(path: Path, opts: CsvOptions, resource: str) -> list[str]:
    """The header row's labels (empty list for an empty file)."""
    try:
        with _large_fields(), open(path, encoding=opts.encoding, newline="") as fh:
            return next(csv.reader(fh, **_csv_kwargs(opts)), [])
    except UnicodeError as exc:
        raise _decode_error(resource, opts) from exc
    except (csv.Error, OSError) as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV header") from exc


def _decode_error(resource: str, opts: CsvOptions, where: str = "") -> InputError:
    name = "utf-8" if opts.encoding == "utf-8-sig" else opts.encoding
    return InputError(
        f"resource '{resource}': the file cannot be decoded as {name}{where}",
        hint="save the file as UTF-8, or set `encoding` on the resource (for example "
        "cp1252 or latin-1); without one, a CSV file is read as UTF-8",
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
