"""Check one block of rows: cell errors, blank rows, extra and missing cells.

A block is a list of raw text columns (Arrow strings, null where a row has no
such cell) plus the row numbers of its rows. Errors are collected as plain
tuples in an ErrorLog, the key columns (typed values for unique, primary and
foreign keys) are handed back for the integrity checks at the end.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import frictionless as fl
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.fast import member
from publisher.validate.engine.fields import KEY_TYPES, FieldCheck, key_scalar, to_numpy_bool

IntArray = npt.NDArray[np.int64]

# Order of errors inside one row, as frictionless emits them.
PHASE_CELL, PHASE_EXTRA, PHASE_MISSING, PHASE_UNIQUE, PHASE_PK, PHASE_FK = range(6)


@dataclass(order=True)
class Error:
    row: int
    phase: int
    number: int
    code: str = dataclasses.field(compare=False)
    field_name: str | None = dataclasses.field(compare=False, default=None)
    note: str = dataclasses.field(compare=False, default="")
    cell: str | None = dataclasses.field(compare=False, default=None)


@dataclass
class ErrorLog:
    """Every error counted, at most `limit` kept."""

    limit: int
    kept: list[Error] = dataclasses.field(default_factory=list)
    counts: dict[str, int] = dataclasses.field(default_factory=dict)

    def add(self, error: Error) -> None:
        self.counts[error.code] = self.counts.get(error.code, 0) + 1
        if len(self.kept) < self.limit:
            self.kept.append(error)

    def merge(self, other: ErrorLog, shift: int = 0) -> None:
        """`other`'s errors as if added after this log's own, `shift` rows on."""
        for code, count in other.counts.items():
            self.counts[code] = self.counts.get(code, 0) + count
        for error in other.kept[:max(0, self.limit - len(self.kept))]:
            error.row += shift
            self.kept.append(error)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class Block:
    columns: list[pa.Array]  # raw text, one per label (or per cell for ragged rows)
    rows: IntArray  # row numbers


def _missing(check: FieldCheck, raw: pa.Array) -> pa.Array:
    """Missing cells: no cell at all, or one of the missing values."""
    if not len(check.missing):
        return pc.is_null(raw)
    hit = member(raw, check.missing)
    if raw.null_count:
        return pc.or_(pc.is_null(raw), pc.fill_null(hit, False))
    return hit


def _positions(mask: pa.Array) -> IntArray:
    """Positions where `mask` is true (null counts as false)."""
    if mask.null_count:
        mask = pc.fill_null(mask, False)
    if not mask.true_count:
        return np.zeros(0, dtype=np.int64)
    return np.asarray(pc.indices_nonzero(mask).to_numpy(), dtype=np.int64)


def check_block(block: Block, checks: list[FieldCheck], key_fields: set[str],
                log: ErrorLog) -> dict[str, pa.Array]:
    """Errors of one block into `log`; typed key columns for `key_fields`.
    Masks stay Arrow bitmaps; only the positions of flagged cells leave Arrow."""
    size = len(block.rows)
    null = pa.nulls(size, pa.string())
    raws = [block.columns[i] if i < len(block.columns) else null for i in range(len(checks))]
    missing = [_missing(check, raw) for check, raw in zip(checks, raws, strict=True)]
    blank_mask = missing[0] if missing else pa.array(np.ones(size, dtype=bool))
    for mask in missing[1:]:
        blank_mask = pc.and_(blank_mask, mask)
    blank_at = _positions(blank_mask)
    blank = np.zeros(size, dtype=bool)
    blank[blank_at] = True
    _refuse_hidden_blank_lines(block, checks, blank)
    for position in blank_at:
        log.add(Error(int(block.rows[position]), PHASE_CELL, 0, "blank-row"))
    not_blank = pc.invert(blank_mask) if len(blank_at) else None

    keys: dict[str, pa.Array] = {}
    for check, raw, miss in zip(checks, raws, missing, strict=True):
        key = _check_cells(check, raw, miss, block.rows, blank, log, check.name in key_fields)
        if key is not None:
            keys[check.name] = key

    for index in range(len(checks), len(block.columns)):
        column = block.columns[index]
        valid = pc.is_valid(column)
        present = _positions(valid if not_blank is None else pc.and_(valid, not_blank))
        cells = column.take(pa.array(present, pa.int64())).to_pylist()
        for position, cell in zip(present, cells, strict=True):
            log.add(Error(int(block.rows[position]), PHASE_EXTRA, index + 1, "extra-cell",
                          None, "", _text(cell)))
    for check, raw in zip(checks, raws, strict=True):
        if not raw.null_count:
            continue
        absent_mask = pc.is_null(raw)
        absent = _positions(absent_mask if not_blank is None
                            else pc.and_(absent_mask, not_blank))
        for position in absent:
            log.add(Error(int(block.rows[position]), PHASE_MISSING, check.number,
                          "missing-cell", check.name))
    return keys


def _refuse_hidden_blank_lines(block: Block, checks: list[FieldCheck],
                               blank: npt.NDArray[np.bool_]) -> None:
    """Arrow reads a blank line as a row of empty cells, frictionless as a row
    of no cells. They differ only where "" is not a missing value."""
    if all("" in check.missing.to_pylist() for check in checks) or not block.columns:
        return
    empty = ~blank
    for column in block.columns:
        empty &= to_numpy_bool(pc.equal(pc.utf8_length(column), 0))
    if empty.any():
        raise Unsupported('a row of empty cells while "" is not a missing value')


def _check_cells(check: FieldCheck, raw: pa.Array, missing: pa.Array, rows: IntArray,
                 blank: npt.NDArray[np.bool_], log: ErrorLog,
                 want_key: bool) -> pa.Array | None:
    present = pc.invert(missing)
    if check.fast is not None:
        ok, typed = check.fast(raw, want_key or check.needs_values)
        ok = pc.and_(pc.fill_null(ok, False), present)
    else:
        ok, typed = pa.array(np.zeros(len(raw), dtype=bool)), None
    slow = pc.and_(present, pc.invert(ok))
    flagged = check.candidates(raw, ok, typed)
    if flagged is not None:
        slow = pc.or_(slow, pc.fill_null(flagged, False))
    if check.required:
        slow = pc.or_(slow, missing)
    positions = _positions(slow)
    cells = raw.take(pa.array(positions, pa.int64())).to_pylist()
    patch: list[tuple[int, Any]] = []
    for position, cell in zip(positions, cells, strict=True):
        target, notes = check.read(cell)
        if want_key and target is not None and not (notes and "type" in notes):
            patch.append((int(position), key_scalar(check.kind, target)))
        elif want_key:
            patch.append((int(position), None))
        if not notes or blank[position]:
            continue
        row = int(rows[position])
        for name, note in notes.items():
            code = "type-error" if name == "type" else "constraint-error"
            log.add(Error(row, PHASE_CELL, check.number, code, check.name, note, _text(cell)))
    if not want_key:
        return None
    return _key(check, typed, ok, patch, len(raw))


def _key(check: FieldCheck, typed: pa.Array | None, ok: pa.Array,
         patch: list[tuple[int, Any]], size: int) -> pa.Array:
    kind = check.kind
    if kind not in KEY_TYPES:
        raise Unsupported(f"field '{check.name}' of type {kind} in a unique or foreign key")
    key_type = KEY_TYPES[kind]
    base = (pc.if_else(ok, typed, pa.scalar(None, key_type)) if typed is not None
            else pa.nulls(size, key_type))
    base = pc.cast(base, key_type)
    if patch:
        base = _patched(check, base, patch, size)
    return base


def _patched(check: FieldCheck, base: pa.Array, patch: list[tuple[int, Any]],
             size: int) -> pa.Array:
    key_type = base.type
    mask = np.zeros(size, dtype=bool)
    positions = np.array([p for p, _ in patch], dtype=np.int64)
    mask[positions] = True
    values = [v for _, v in sorted(patch)]
    try:
        replacements = pa.array(values, key_type)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise Unsupported(f"field '{check.name}': values without an exact key form") from exc
    return pc.replace_with_mask(base, pa.array(mask), replacements)


def schema_checks(fields: list[Any], schema: fl.Schema) -> list[FieldCheck]:
    from publisher.validate.engine.fields import build_check

    return [build_check(f, i, schema) for i, f in enumerate(fields, start=1)]
