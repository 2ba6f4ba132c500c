"""What is checked before any parser reads a CSV file: not compressed, a byte
order mark that fits the declared encoding, the whole file decodes, records and
cells within the limits (sizes.py), a header row, and no NUL character."""

from __future__ import annotations

import codecs
import collections
from collections.abc import Iterator
from pathlib import Path

from publisher import limits
from publisher.errors import InputError
from publisher.package.csvio.dialect import (
    CsvError,
    CsvOptions,
    decode_error,
    large_fields,
    records,
)
from publisher.package.csvio.sizes import check_csv_sizes, encodes_as_is
from publisher.package.csvio.table import read_header

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
    cell over the limits (sizes.py), a file without a header row
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
    check_csv_sizes(path, opts, resource)
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
                        raise decode_error(resource, opts, f" ({where}byte {bad + 1})") from None
                    except UnicodeError:  # UTF-16/32 without a byte order mark
                        raise decode_error(resource, opts, " (no byte order mark at its "
                                                            "start)") from None
                offset += len(chunk)
                lines += chunk.count(b"\n") if counted else 0
            decoder.decode(b"", final=True)
    except UnicodeError:  # a decode error, or UTF-16/32 too short for a byte order mark
        raise decode_error(resource, opts, " (at its end)") from None
    except OSError as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV file") from exc


_CHUNK = 1024**2


def _has_nul(path: Path, opts: CsvOptions) -> bool:
    """Whether the text holds a NUL character. Where NUL is the byte 0 (UTF-8,
    single-byte and East Asian codecs) the bytes are searched as they are;
    UTF-16, UTF-32 and the like are decoded first."""
    codec = codecs.lookup(opts.encoding).name
    with open(path, "rb") as fh:
        if encodes_as_is(codec, "\x00"):
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
        with large_fields(), open(path, encoding=opts.encoding, errors="replace",
                                   newline="") as fh:
            reader = records(_lines_to_nul(fh), opts)
            header = next(reader, [])
            if any("\x00" in label for label in header):
                return 1, header, len(header) - 1
            # the reader stops at the record holding the NUL, in its last cell
            last = collections.deque(enumerate(reader, start=2), maxlen=1)
    except (CsvError, OSError):
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
