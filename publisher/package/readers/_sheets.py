"""Spreadsheet sheets (xlsx, ods) read with python-calamine, as text tables.

A sheet is read like a CSV file: one header row (`dialect.headerRows`, else
the first row; title rows above it are skipped), every cell as text, and the
index is the sheet's row number, so messages name the row a steward sees in
the spreadsheet. Typed cells become the text Table Schema reads back: numbers
in the shortest form that round-trips ("12345", "0.25"), dates and times in
ISO 8601, booleans as true / false. The sheet is `dialect.sheetName` or
`dialect.sheetNumber` (1-based), else the first one.

Before calamine opens the workbook, its zip directory passes the archive
checks (publisher.package.archive): no zip bombs.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from publisher.errors import InputError
from publisher.package.archive import check_archive
from publisher.package.geometry import csv_geometry
from publisher.package.model import GeometrySpec, Resource
from publisher.package.readers._tabular import with_geometry
from publisher.package.readers.base import InputFormat

HEADER_SCAN = 20  # rows searched for the header when describing a sheet


def cell_text(value: Any) -> str:
    """A cell as the text Table Schema reads back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _column_name(index: int) -> str:
    """The spreadsheet's letter for a 0-based column index: A, B, ..., AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def open_workbook(path: Path, resource: str, title: str) -> CalamineWorkbook:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"resource '{resource}': the file is not a valid {title} (not a zip "
                         "container)") from exc
    check_archive(infos, where=f"resource '{resource}': {path.name}")
    try:
        return CalamineWorkbook.from_path(str(path))
    except CalamineError as exc:
        raise InputError(f"resource '{resource}': cannot read the {title} file (damaged, "
                         "encrypted or not valid)") from exc


def sheet_names(path: Path, title: str) -> list[str]:
    """The sheets that hold at least one filled cell."""
    book = open_workbook(path, path.name, title)
    names = []
    for name in book.sheet_names:
        try:
            rows = book.get_sheet_by_name(name).to_python()
        except CalamineError:
            continue
        if any(cell_text(c) != "" for row in rows for c in row):
            names.append(str(name))
    return names


def _sheet(book: CalamineWorkbook, dialect: dict[str, Any], resource: str) -> CalamineSheet:
    names = list(book.sheet_names)
    name, number = dialect.get("sheetName"), dialect.get("sheetNumber")
    if name is not None:
        if name not in names:
            raise InputError(f"resource '{resource}': sheet {name!r} is not in the workbook "
                             f"(sheets: {', '.join(names) or 'none'})")
        return book.get_sheet_by_name(str(name))
    index = 1 if number is None else number
    if not isinstance(index, int) or not 1 <= index <= len(names):
        raise InputError(f"resource '{resource}': the workbook has no sheet number {index} "
                         f"(it has {len(names)})")
    return book.get_sheet_by_index(index - 1)


def _dialect(descriptor: dict[str, Any], resource: str) -> dict[str, Any]:
    dialect = descriptor.get("dialect") or {}
    if not isinstance(dialect, dict):
        raise InputError(f"resource '{resource}': dialect must be an object",
                         hint='e.g. "dialect": {"sheetName": "Tabelle1", "headerRows": [1]}')
    return dialect


def _header_row(dialect: dict[str, Any], resource: str) -> int:
    rows = dialect.get("headerRows", [1])
    if dialect.get("header") is False:
        raise InputError(f"resource '{resource}': sheets without a header row are not "
                         "supported yet")
    if not isinstance(rows, list) or len(rows) != 1 or not isinstance(rows[0], int) \
            or rows[0] < 1:
        raise InputError(f"resource '{resource}': dialect headerRows must name one row, "
                         "e.g. [3]")
    return rows[0]


def sheet_rows(resource: Resource, title: str) -> list[list[Any]]:
    """The sheet's cells from A1 on, one list per row (empty cells are '')."""
    assert resource.path is not None
    dialect = _dialect(resource.descriptor, resource.name)
    book = open_workbook(resource.path, resource.name, title)
    try:
        rows: list[list[Any]] = _sheet(book, dialect, resource.name).to_python(
            skip_empty_area=False)
    except CalamineError as exc:
        raise InputError(f"resource '{resource.name}': cannot read the sheet of the {title} "
                         "file") from exc
    return rows


def guess_header_row(rows: list[list[Any]]) -> int:
    """The 1-based row that looks like the header: among the first rows, the first
    with the most filled cells, all of them text (title rows above have fewer)."""
    best, best_count = 1, 0
    for number, row in enumerate(rows[:HEADER_SCAN], start=1):
        filled = [c for c in row if cell_text(c) != ""]
        if len(filled) > best_count and all(isinstance(c, str) for c in filled):
            best, best_count = number, len(filled)
    return best


def text_table(resource: Resource, rows: list[list[Any]]) -> pd.DataFrame:
    """The records below the header row as text, indexed by sheet row number."""
    header = _header_row(_dialect(resource.descriptor, resource.name), resource.name)
    if len(rows) < header:
        raise InputError(f"resource '{resource.name}': the sheet has no row {header} "
                         "(its header row)")
    width = max((len(r) for r in rows), default=0)
    labels = [cell_text(c).strip() for c in rows[header - 1]] + [""] * width
    body = [[cell_text(c) for c in row] + [""] * (width - len(row)) for row in rows[header:]]
    while body and not any(body[-1]):
        body.pop()  # formatted but empty rows at the end of the used range
    keep = []
    for i in range(width):
        if labels[i]:
            keep.append(i)
            continue
        filled = next((n for n, row in enumerate(body) if row[i] != ""), None)
        if filled is not None:
            raise InputError(
                f"resource '{resource.name}': row {header + 1 + filled}, column "
                f"{_column_name(i)} holds a value but the column has no header label",
                hint="give the column a label in the header row, or delete the cell")
    names = [labels[i] for i in keep]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError(f"resource '{resource.name}': duplicate column names in the header: "
                         + ", ".join(repr(d) for d in duplicates))
    index = pd.RangeIndex(header + 1, header + 1 + len(body))
    columns = {name: [row[i] for row in body] for name, i in zip(names, keep, strict=True)}
    return pd.DataFrame(columns, index=index, columns=names, dtype="str")


def settle_sheet(resource: Resource, title: str) -> GeometrySpec | None:
    table = text_table(resource, sheet_rows(resource, title))
    names = resource.field_names or [str(c) for c in table.columns]
    return csv_geometry(resource.descriptor, names, resource.name)


def read_sheet(resource: Resource, title: str) -> pd.DataFrame:
    table = text_table(resource, sheet_rows(resource, title))
    return with_geometry(table, resource, "the sheet's header row")


def sheet_descriptor(path: Path, sheet: str, title: str) -> dict[str, Any]:
    """The dialect naming a sheet, and its header row where title rows come first."""
    probe = Resource(name=path.stem, format="", descriptor={"dialect": {"sheetName": sheet}},
                     path=path)
    header = guess_header_row(sheet_rows(probe, title))
    dialect: dict[str, Any] = {"sheetName": sheet}
    if header != 1:
        dialect["headerRows"] = [header]
    return {"dialect": dialect}


class SheetFormat(InputFormat):
    """A spreadsheet format: one sheet per resource, read as text, published as CSV.
    A format module names only its type, title, extensions and aliases."""

    published_as = "csv"

    def settle(self, resource: Resource) -> GeometrySpec | None:
        return settle_sheet(resource, self.title)

    def read(self, resource: Resource) -> pd.DataFrame:
        return read_sheet(resource, self.title)

    def parts(self, file: Path) -> list[str]:
        return sheet_names(file, self.title)

    def part_descriptor(self, file: Path, part: str) -> dict[str, Any]:
        return sheet_descriptor(file, part, self.title)
