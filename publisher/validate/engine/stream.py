"""Stream a CSV file as record batches of text, with frictionless's row numbers.

Arrow reads the file in blocks, every column as text, blank lines kept (they
come back as rows of empty cells). Rows with a different number of cells than
the header are handed to a callback instead; when there are any, one pass of
Python's csv module (the parser frictionless uses) over the file gives each
record's cell count, which places the Arrow rows and the ragged rows at their
row numbers. The count of records both parsers see must agree, or the
resource goes to frictionless.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pa_csv

from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.plan import Plan

BLOCK_SIZE = 8 << 20


@dataclass
class Ragged:
    """Rows Arrow refused: their text, in file order."""

    texts: list[str] = field(default_factory=list)

    def handler(self, row: pa_csv.InvalidRow) -> str:
        self.texts.append(row.text)
        return "skip"


def _has_quotes(path: str, quote: bytes) -> bool:
    with open(path, "rb") as handle:
        while chunk := handle.read(BLOCK_SIZE):
            if quote in chunk:
                return True
    return False


def batches(plan: Plan, ragged: Ragged) -> Iterator[pa.RecordBatch]:
    """Record batches of all-text columns named 0..n-1 (the header row skipped)."""
    width = len(plan.labels)
    names = [str(i) for i in range(width)]
    quote = plan.quote_char.encode(plan.encoding, errors="replace")
    newlines = _has_quotes(plan.path, quote)
    arrow_encoding = "utf8" if plan.encoding in ("utf-8", "utf-8-sig") else plan.encoding
    try:
        reader = pa_csv.open_csv(
            plan.path,
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1,
                                            block_size=BLOCK_SIZE, encoding=arrow_encoding),
            parse_options=pa_csv.ParseOptions(
                delimiter=plan.delimiter, quote_char=plan.quote_char,
                double_quote=plan.double_quote, newlines_in_values=newlines,
                ignore_empty_lines=False, invalid_row_handler=ragged.handler),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False,
                quoted_strings_can_be_null=False))
        yield from reader
    except (pa.ArrowException, UnicodeDecodeError, OSError) as exc:
        raise Unsupported("the file does not parse cleanly as CSV "
                          "(encoding or quoting); frictionless reports it") from exc


def record_lengths(plan: Plan) -> npt.NDArray[np.int64]:
    """Cells per data record, by Python's csv module as frictionless reads it."""
    old = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with open(plan.path, encoding=plan.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=plan.delimiter, quotechar=plan.quote_char,
                                doublequote=plan.double_quote)
            lengths = np.fromiter(map(len, reader), dtype=np.int64)
    except (csv.Error, UnicodeDecodeError, OSError) as exc:
        raise Unsupported("the csv module cannot read the file") from exc
    finally:
        csv.field_size_limit(old)
    return lengths[1:]


def ragged_cells(plan: Plan, text: str) -> list[str]:
    rows = list(csv.reader([text], delimiter=plan.delimiter, quotechar=plan.quote_char,
                           doublequote=plan.double_quote))
    return rows[0] if rows else []


@dataclass
class RowMap:
    """Row numbers of Arrow's rows (in order) and of the ragged ones."""

    arrow: npt.NDArray[np.int64]
    ragged: npt.NDArray[np.int64]


def row_map(plan: Plan, arrow_rows: int, ragged: Ragged) -> RowMap | None:
    """None when no row was ragged: Arrow row k is then row k + 2."""
    if not ragged.texts:
        return None
    lengths = record_lengths(plan)
    width = len(plan.labels)
    regular = (lengths == width) | (lengths == 0)
    arrow = np.flatnonzero(regular) + 2
    odd = np.flatnonzero(~regular) + 2
    if len(arrow) != arrow_rows or len(odd) != len(ragged.texts):
        raise Unsupported("Arrow and Python's csv module split the records differently")
    return RowMap(arrow=arrow.astype(np.int64), ragged=odd.astype(np.int64))
