"""Frictionless errors as Findings, with messages that never carry a cell value.

Frictionless's own messages embed the cell text ("Type error in the cell
"abc" ..."), so each message is built here from the error code, the position
and the frictionless note; the cell itself only reaches `sample`, masked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from frictionless import Error

from publisher.masking import mask
from publisher.report import Finding, Severity

RowMap = Callable[[int], int]


def _identity(row: int) -> int:
    return row


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _scrub(note: str, values: Sequence[Any]) -> str:
    """Replace any quoted cell value a note may quote (custom checks do) by its mask."""
    for value in values:
        text = _text(value)
        if text and f'"{text}"' in note:
            note = note.replace(f'"{text}"', f'"{mask(text)}"')
    return note


def _foreign_key_note(error: Error) -> str:
    fields = ", ".join(getattr(error, "field_names", []) or [])
    target = getattr(error, "reference_name", "") or "this resource"
    keys = ", ".join(getattr(error, "reference_field_names", []) or [])
    return f'the values of "{fields}" are not found in resource "{target}" as "{keys}"'


def finding_from_error(
    error: Error,
    *,
    resource: str | None,
    row_map: RowMap = _identity,
    record: str = "row",
) -> Finding:
    """One Finding from one frictionless error; row_map turns frictionless row
    numbers into the numbers a steward sees (feature numbers for inline data)."""
    code = str(error.type)
    cells: list[Any] = list(getattr(error, "cells", []) or [])
    cell = getattr(error, "cell", None)
    note = _text(error.note)
    note = _foreign_key_note(error) if code == "foreign-key" else _scrub(note, [cell, *cells])

    row_number = getattr(error, "row_number", None)
    row = row_map(row_number) if isinstance(row_number, int) else None
    field = getattr(error, "field_name", None) or None
    field_number = getattr(error, "field_number", None)

    parts: list[str] = []
    if resource:
        parts.append(f"resource '{resource}'")
    if row is not None:
        parts.append(f"{record} {row}")
    if field:
        parts.append(f"field '{field}'")
    elif isinstance(field_number, int):
        parts.append(f"column {field_number}")
    where = ", ".join(parts) or "package descriptor"
    message = f"{error.title} in {where}" + (f": {note}" if note else "")

    sample: str | None = None
    if code == "foreign-key":
        values = getattr(error, "field_cells", None) or []
        sample = mask(", ".join(_text(v) for v in values)) if values else None
    elif cell not in (None, ""):
        sample = mask(cell)
    elif code.endswith("-label"):
        label = getattr(error, "label", None)
        sample = mask(label) if label else None
    return Finding(type=code, message=message, severity=Severity.ERROR, resource=resource,
                   row=row, field=field, sample=sample)


def findings_from_errors(
    errors: Sequence[Error],
    *,
    resource: str | None,
    row_map: RowMap = _identity,
    record: str = "row",
) -> list[Finding]:
    return [finding_from_error(e, resource=resource, row_map=row_map, record=record)
            for e in errors]
