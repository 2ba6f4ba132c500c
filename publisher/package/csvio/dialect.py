"""Encoding and dialect of a CSV resource: declared (Table Schema dialect, in
its frictionless v4 and v5 forms), or guessed as frictionless guesses them, and
the one place Python's csv module is set up to read a file."""

from __future__ import annotations

import codecs
import csv
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.errors import InputError

CsvError = csv.Error  # what the csv module raises on a malformed record


@dataclass(frozen=True)
class CsvOptions:
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    quotechar: str = '"'
    doublequote: bool = True
    escapechar: str | None = None
    skipinitialspace: bool = False


def declared_dialect(descriptor: dict[str, Any], resource: str) -> dict[str, Any]:
    """The resource's dialect object, its CSV control merged in."""
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
    dialect = declared_dialect(descriptor, resource)
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


def python_kwargs(opts: CsvOptions) -> dict[str, Any]:
    """The options as Python's csv module takes them."""
    return {
        "delimiter": opts.delimiter,
        "quotechar": opts.quotechar,
        "doublequote": opts.doublequote,
        "escapechar": opts.escapechar,
        "skipinitialspace": opts.skipinitialspace,
    }


@contextmanager
def large_fields(at_least: int = 2**31 - 1) -> Iterator[None]:
    """Allow long cells (big WKT polygons) in the csv module for a moment."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, min(sys.maxsize, at_least)))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def records(lines: Iterable[str], opts: CsvOptions) -> Iterator[list[str]]:
    """The records of text lines (opened with newline=""), by Python's csv module:
    the parser frictionless uses, and so the reference for every row rule. Use
    inside large_fields()."""
    return csv.reader(lines, **python_kwargs(opts))


def decode_error(resource: str, opts: CsvOptions, where: str = "") -> InputError:
    name = "utf-8" if opts.encoding == "utf-8-sig" else opts.encoding
    return InputError(
        f"resource '{resource}': the file cannot be decoded as {name}{where}",
        hint="save the file as UTF-8, or set `encoding` on the resource (for example "
        "cp1252 or latin-1); without one, a CSV file is read as UTF-8",
    )


_SNIFF_LINES = 100  # frictionless's sample: the first 100 lines
_SNIFF_DELIMITERS = ",\t;|"


def sniffed_dialect(path: Path, descriptor: dict[str, Any], resource: str) -> dict[str, Any]:
    """The dialect options frictionless would guess from the first lines, for
    those the resource does not declare.

    frictionless (and so `validate`) guesses the delimiter, quote and escape
    characters when none is declared; every other stage must read the same
    columns, or a semicolon-separated file is one column to the privacy check."""
    declared = declared_dialect(descriptor, resource)
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
