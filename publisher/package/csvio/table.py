"""The whole table of a CSV file: every cell as text, indexed by row number.

pandas' C parser reads a regular file. A file with ragged records (which pandas
either refuses or pads with nulls) or a quote that is never closed is read by
Python's csv module instead, each record cut or padded to the header
(rows.fit): the reference parser, a slower path taken only by files that
validation and check report anyway.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from publisher.errors import InputError
from publisher.package.csvio.dialect import (
    CsvError,
    CsvOptions,
    decode_error,
    large_fields,
    records,
)
from publisher.package.csvio.rows import fit, ragged_of, record_lengths


def read_header(path: Path, opts: CsvOptions, resource: str) -> list[str]:
    """The header row's labels (empty list for an empty file)."""
    try:
        with large_fields(), open(path, encoding=opts.encoding, newline="") as fh:
            return next(records(fh, opts), [])
    except UnicodeError as exc:
        raise decode_error(resource, opts) from exc
    except (CsvError, OSError) as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV header") from exc


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
        raise decode_error(resource, opts) from exc
    except pd.errors.ParserError:  # a longer row, or a quote never closed
        raw = None
    except (OSError, ValueError) as exc:
        raise InputError(f"resource '{resource}': cannot read the CSV file") from exc
    if raw is None or _short_rows(raw, path, opts):
        return _fitted(path, opts, resource)
    header = [str(h) for h in raw.iloc[0].tolist()]
    _check_labels(header, resource)
    table = raw.iloc[1:].copy()
    table.columns = pd.Index(header)
    table.index = pd.RangeIndex(2, len(table) + 2)
    return table


def _check_labels(header: list[str], resource: str) -> None:
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise InputError(
            f"resource '{resource}': duplicate column names in the header: "
            + ", ".join(repr(d) for d in duplicates)
        )


def _short_rows(raw: pd.DataFrame, path: Path, opts: CsvOptions) -> bool:
    """Whether pandas padded a short record: only where the last column has an
    empty cell does Python's csv module count the cells, to tell a short record
    from a blank line (no cells) and a record whose last cell is empty."""
    if raw.shape[1] < 2 or len(raw) < 2 or not (raw.iloc[1:, -1].isna()
                                                 | (raw.iloc[1:, -1] == "")).any():
        return False
    try:
        return bool(ragged_of(record_lengths(path, opts)))
    except (CsvError, UnicodeError, OSError):
        return False  # pandas read the file; its result stands


def _fitted(path: Path, opts: CsvOptions, resource: str) -> pd.DataFrame:
    """The records by Python's csv module, each cut or padded to the header."""
    try:
        with large_fields(), open(path, encoding=opts.encoding, newline="") as fh:
            reader = records(fh, opts)
            header = next(reader, [])
            width = len(header)
            rows = [fit(cells, width) for cells in reader]
    except UnicodeError as exc:
        raise decode_error(resource, opts) from exc
    except (CsvError, OSError) as exc:
        raise InputError(f"resource '{resource}': the CSV file cannot be parsed") from exc
    if not header:
        raise InputError(f"resource '{resource}': the CSV file is empty (no header row)")
    _check_labels(header, resource)
    table = pd.DataFrame(rows, columns=pd.Index(header), dtype=object)
    if not rows:
        table = pd.DataFrame({h: pd.Series(dtype=object) for h in header})
    table.index = pd.RangeIndex(2, len(rows) + 2)
    return table
