"""Unique fields and primary keys of a GeoParquet set validated piece by piece.

Each piece (one row group, on a cluster's worker) is validated by frictionless
without its keys, and hands back the key cells as frictionless typed them, with
each record's row numbers (KeyCells). The client then checks the keys over the
pieces in record order as frictionless's own pass over the whole set does
(frictionless.resources.table: a unique cell or primary key seen before is an
error noting the row where it was last seen, a primary key of null cells is
one too), and lists each record's key errors after its cell errors, so
findings, messages and row numbers are those of one pass.

Foreign keys into other resources are checked the same way: the pieces hand
back each record's key cells, and the client looks them up in the referenced
resource's keys, gathered as frictionless gathers them (its records read once,
typed, null keys left out); a record's foreign-key errors come after its other
errors, as in one pass. A set whose foreign keys refer to itself is validated
whole by the client (publisher.validate.schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import frictionless as fl
from frictionless.types import ICallbackFunction

from publisher.report import Finding
from publisher.validate.findings import finding_from_error

ALL_NULL = 'cells composing the primary keys are all "None"'  # frictionless's note


def _seen_at(row_number: int) -> str:
    return f"the same as in the row at position {row_number}"  # frictionless's note


def _row(finding: Finding) -> int:
    return -1 if finding.row is None else finding.row


def _at(row: int) -> Callable[[int], int]:
    return lambda _: row


def key_fields(schema: fl.Schema) -> tuple[list[str], list[str]]:
    """The unique fields (in schema order) and the primary key's fields."""
    return ([f.name for f in schema.fields if f.constraints.get("unique")],
            list(schema.primary_key))


Group = tuple[str, tuple[str, ...], tuple[str, ...]]


def foreign_groups(schema: fl.Schema) -> list[Group]:
    """Each foreign key as (the referenced resource, its fields, this resource's fields)."""
    return [(str(fk["reference"]["resource"]), tuple(fk["reference"]["fields"]),
             tuple(fk["fields"])) for fk in schema.foreign_keys]


def without_keys(schema: fl.Schema) -> fl.Schema:
    """The schema without its primary key, unique constraints and foreign keys:
    what a piece is validated against."""
    descriptor = schema.to_descriptor()
    descriptor.pop("primaryKey", None)
    descriptor.pop("foreignKeys", None)
    for item in descriptor.get("fields", []):
        constraints = item.get("constraints")
        if isinstance(constraints, dict) and "unique" in constraints:
            del constraints["unique"]
            if not constraints:
                del item["constraints"]
    return fl.Schema.from_descriptor(descriptor)


@dataclass
class KeyCells:
    """A piece's key cells, one entry per record read, in record order."""

    numbers: list[int] = field(default_factory=list)  # row numbers in one pass over the set
    rows: list[int] = field(default_factory=list)  # the rows its findings name
    unique: dict[str, list[Any]] = field(default_factory=dict)  # typed cells per field
    field_numbers: dict[str, int] = field(default_factory=dict)
    primary: list[tuple[Any, ...] | None] = field(default_factory=list)  # None: all null
    # the finding of a record whose primary key cells are all null, by its place here
    # (made where the record's other cells are: its message masks any of them)
    null: dict[int, Finding] = field(default_factory=dict)
    foreign: list[list[tuple[Any, ...]]] = field(default_factory=list)  # per foreign key


def joined(pieces: list[KeyCells]) -> KeyCells:
    """The pieces' numbers and foreign key cells, one after the other."""
    out = KeyCells(foreign=[[] for _ in (pieces[0].foreign if pieces else [])])
    for piece in pieces:
        out.numbers.extend(piece.numbers)
        out.rows.extend(piece.rows)
        for cells, more in zip(out.foreign, piece.foreign, strict=True):
            cells.extend(more)
    return out


def collector(schema: fl.Schema, offset: int, shifted: Callable[[int], int], resource: str,
              record: str) -> tuple[KeyCells, ICallbackFunction] | None:
    """The key cells of a piece whose first record is the set's `offset`-th, and the
    `on_row` callback of frictionless's validate that gathers them; None for a schema
    without unique fields or primary key."""
    unique, primary = key_fields(schema)
    groups = foreign_groups(schema)
    if not unique and not primary and not groups:
        return None
    cells = KeyCells(unique={name: [] for name in unique}, foreign=[[] for _ in groups])

    def on_row(row: fl.Row) -> None:
        if not cells.field_numbers:
            cells.field_numbers = {name: row.field_names.index(name) + 1 for name in unique}
        cells.numbers.append(offset + row.row_number)
        cells.rows.append(shifted(row.row_number))
        for name in unique:
            cells.unique[name].append(row[name])
        if primary:
            key = tuple(row[name] for name in primary)
            if set(key) == {None}:
                cells.null[len(cells.primary)] = finding_from_error(
                    fl.errors.PrimaryKeyError.from_row(row, note=ALL_NULL), resource=resource,
                    row_map=shifted, record=record)
                cells.primary.append(None)
            else:
                cells.primary.append(key)
        for found, (_, _, fields) in zip(cells.foreign, groups, strict=True):
            found.append(tuple(row[name] for name in fields))

    return cells, on_row


def check_keys(pieces: list[KeyCells], unique: list[str], primary: bool, resource: str,
               record: str) -> list[list[Finding]]:
    """Each piece's key errors in record order, the pieces taken in set order."""
    memory: dict[str, dict[Any, int]] = {name: {} for name in unique}
    keys: dict[tuple[Any, ...], int] = {}
    found: list[list[Finding]] = []
    for piece in pieces:
        out: list[Finding] = []
        for at, number in enumerate(piece.numbers):
            row = piece.rows[at]
            for name in unique:
                cell = piece.unique[name][at]
                if cell is None:
                    continue
                match = memory[name].get(cell)
                memory[name][cell] = number
                if match:
                    out.append(finding_from_error(fl.errors.UniqueError(
                        note=_seen_at(match), cells=[], row_number=number, cell=str(cell),
                        field_name=name, field_number=piece.field_numbers[name]),
                        resource=resource, row_map=_at(row), record=record))
            if not primary:
                continue
            key = piece.primary[at]
            if key is None:
                out.append(piece.null[at])
                continue
            match = keys.get(key)
            keys[key] = number
            if match:
                out.append(finding_from_error(fl.errors.PrimaryKeyError(
                    note=_seen_at(match), cells=[], row_number=number),
                    resource=resource, row_map=_at(row), record=record))
        found.append(out)
    return found


Lookup = dict[str, dict[tuple[str, ...], set[tuple[Any, ...]]]]


def lookup_of(groups: list[Group], resources: dict[str, fl.Resource]) -> Lookup:
    """The referenced resources' keys, as frictionless gathers them before a pass:
    each read once (its own foreign keys left out), typed, null keys left out.
    FrictionlessException when a referenced resource cannot be read."""
    lookup: Lookup = {}
    for source, keys, _ in groups:
        lookup.setdefault(source, {})
        if keys in lookup[source]:
            continue
        found = lookup[source][keys] = set()
        copied = resources[source].to_copy()
        if copied.schema:
            copied.schema.foreign_keys = []
        with copied:
            for row in copied.row_stream:  # type: ignore[attr-defined]
                cells = tuple(row.get(name) for name in keys)
                if set(cells) != {None}:
                    found.add(cells)
    return lookup


def check_foreign(cells: KeyCells, groups: list[Group], lookup: Lookup, resource: str,
                  record: str) -> list[Finding]:
    """The foreign key errors of the set's records, in record order."""
    out: list[Finding] = []
    for at, number in enumerate(cells.numbers):
        for found, (source, keys, fields) in zip(cells.foreign, groups, strict=True):
            known = lookup.get(source)
            if not known:
                continue
            key = found[at]
            if set(key) == {None} or key in known.get(keys, set()):
                continue
            out.append(finding_from_error(fl.errors.ForeignKeyError(
                note="", cells=[], row_number=number, field_names=list(fields),
                field_cells=["" if v is None else str(v) for v in key], reference_name=source,
                reference_field_names=list(keys)),
                resource=resource, row_map=_at(cells.rows[at]), record=record))
    return out


def interleave(cell_errors: list[Finding], key_errors: list[Finding]) -> list[Finding]:
    """One piece's errors as frictionless lists them: by record, a record's cell
    errors before its key errors (the header's, without a row, first)."""
    out: list[Finding] = []
    at = 0
    for finding in cell_errors:
        while at < len(key_errors) and _row(key_errors[at]) < _row(finding):
            out.append(key_errors[at])
            at += 1
        out.append(finding)
    out.extend(key_errors[at:])
    return out
