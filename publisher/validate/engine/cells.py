"""Check one block of rows: cell errors, blank rows, extra and missing cells.

A block is a list of raw text columns (Arrow strings, null where a row has no
such cell) plus the row numbers of its rows. Errors go into an ErrorLog as
arrays of rows, one per kind of error (code, field, note, cell); the key
columns (typed values for unique, primary and foreign keys) are handed back
for the integrity checks at the end.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import frictionless as fl
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from publisher.validate.engine import native
from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.fast import member
from publisher.validate.engine.fields import KEY_TYPES, FieldCheck, key_scalar, to_numpy_bool

IntArray = npt.NDArray[np.int64]

# Order of errors inside one row, as frictionless emits them.
PHASE_CELL, PHASE_EXTRA, PHASE_MISSING, PHASE_UNIQUE, PHASE_PK, PHASE_FK = range(6)


@dataclass(frozen=True)
class Kind:
    """What errors of one group share: everything but the row."""

    phase: int
    number: int
    code: str
    field_name: str | None = None
    note: str = ""
    cell: str | None = None


def _empty() -> IntArray:
    return np.zeros(0, dtype=np.int64)


Render = Callable[[list[Kind], IntArray, IntArray], list[Any]]


@dataclass
class ErrorLog:
    """Every error counted; rows held in arrays per kind of error, so a block
    with thousands of bad cells costs numpy work rather than an object per
    cell. `kept()` gives the first `limit` in the order frictionless reports
    them (row, then phase, then field); no more than twice that are held.
    Merged blocks may come with their errors already rendered (findings),
    made while later blocks are still being checked."""

    limit: int
    kinds: list[Kind] = dataclasses.field(default_factory=list)
    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    _ids: dict[Kind, int] = dataclasses.field(default_factory=dict)
    _rows: list[IntArray] = dataclasses.field(default_factory=list)
    _which: list[IntArray] = dataclasses.field(default_factory=list)
    _rendered: list[list[Any] | None] = dataclasses.field(default_factory=list)
    _held: int = 0
    _last: int = -1  # the last row held

    def _id(self, kind: Kind) -> int:
        found = self._ids.get(kind)
        if found is None:
            found = self._ids[kind] = len(self.kinds)
            self.kinds.append(kind)
        return found

    def add_rows(self, rows: IntArray, kind: Kind) -> None:
        if not len(rows):
            return
        self.counts[kind.code] = self.counts.get(kind.code, 0) + len(rows)
        self._hold(np.asarray(rows, dtype=np.int64), np.full(len(rows), self._id(kind)))

    def _hold(self, rows: IntArray, which: IntArray, rendered: list[Any] | None = None) -> None:
        self._rows.append(rows)
        self._which.append(which)
        self._rendered.append(rendered)
        self._held += len(rows)
        self._last = max(self._last, int(rows.max()))
        if self._held > 2 * self.limit:
            # Later errors only push an error further back: beyond the first
            # `limit` of those held now, none can be listed.
            rows, which = self.kept()
            self._rows, self._which, self._held = [rows], [which], len(rows)
            self._rendered = [None]

    def merge(self, other: ErrorLog, shift: int = 0, render: Render | None = None) -> None:
        """`other`'s errors as if added after this log's own, `shift` rows on;
        `render` turns them into findings now. A block wholly after the rows
        held (blocks merged in file order) adds only what can still be listed."""
        for code, count in other.counts.items():
            self.counts[code] = self.counts.get(code, 0) + count
        if not other._held:
            return
        remap = np.array([self._id(kind) for kind in other.kinds], dtype=np.int64)
        rows, which = other.kept()
        rows, which = rows + shift, remap[which]
        if rows[0] > self._last:
            room = max(0, self.limit - self._held)
            rows, which = rows[:room], which[:room]
        if len(rows):
            self._hold(rows, which, render(self.kinds, rows, which) if render else None)

    def map_rows(self, table: IntArray) -> None:
        """Row r becomes table[r - 2] (an increasing table keeps the order)."""
        self._rows = [table[rows - 2] for rows in self._rows]
        self._rendered = [None] * len(self._rows)
        self._last = max((int(rows.max()) for rows in self._rows if len(rows)), default=-1)

    def _order(self) -> tuple[IntArray, IntArray, IntArray]:
        rows = np.concatenate(self._rows) if len(self._rows) > 1 else self._rows[0]
        which = np.concatenate(self._which) if len(self._which) > 1 else self._which[0]
        table = np.array([(k.phase, k.number) for k in self.kinds], dtype=np.int64)
        order = np.lexsort((table[which, 1], table[which, 0], rows))[:self.limit]
        return rows, which, order

    def kept(self) -> tuple[IntArray, IntArray]:
        """Rows and kind ids of the first `limit` errors, in report order;
        errors of one cell in the order they were added."""
        if not self._rows:
            return _empty(), _empty()
        rows, which, order = self._order()
        return rows[order], which[order]

    def listed(self, render: Render) -> list[Any]:
        """The first `limit` errors rendered, in report order: those rendered
        at merge time as they were, the others now."""
        if not self._rows:
            return []
        rows, which, order = self._order()
        flat: list[Any] = []
        for chunk, rendered in zip(self._rows, self._rendered, strict=True):
            flat.extend(rendered if rendered is not None else [None] * len(chunk))
        out = [flat[i] for i in order.tolist()]
        missing = [i for i, item in enumerate(out) if item is None]
        if missing:
            at = order[missing]
            for i, item in zip(missing, render(self.kinds, rows[at], which[at]), strict=True):
                out[i] = item
        return out

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass
class Block:
    """Raw text columns, one per label (or per cell for ragged rows), and
    their row numbers: `rows`, or when None consecutive rows from `first`."""

    columns: list[pa.Array]
    rows: IntArray | None = None
    first: int = 2

    @property
    def size(self) -> int:
        if self.rows is not None:
            return len(self.rows)
        return len(self.columns[0]) if self.columns else 0

    def at(self, positions: IntArray) -> IntArray:
        if self.rows is None:
            return positions + self.first
        return np.asarray(self.rows[positions], dtype=np.int64)


def distinct(cells: pa.Array | pa.ChunkedArray) -> tuple[list[Any], IntArray]:
    """The distinct values of `cells` (None for a missing cell) and, per cell,
    the index of its value."""
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    encoded = pc.dictionary_encode(cells)
    values = encoded.dictionary.to_pylist()
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, len(values))
        values.append(None)
    return values, np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int64)


def groups(codes: IntArray, count: int) -> list[IntArray]:
    """For each of `count` values, the positions in `codes` holding it, ascending."""
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(count + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(count)]


def _missing(check: FieldCheck, raw: pa.Array) -> pa.Array:
    """Missing cells: no cell at all, or one of the missing values."""
    if not len(check.missing):
        return pc.is_null(raw)
    hit = member(raw, check.missing)
    if raw.null_count:
        return pc.or_(pc.is_null(raw), pc.fill_null(hit, False))
    return hit


def _positions(mask: pa.Array) -> IntArray:
    """Positions where `mask` is true (null counts as false), read off its
    bitmap by the compiled kernel or numpy (both a few times cheaper than
    Arrow's indices_nonzero)."""
    if mask.null_count:
        mask = pc.fill_null(mask, False)
    if native.available():
        return native.positions(mask)
    if not mask.true_count:
        return np.zeros(0, dtype=np.int64)
    bits = np.frombuffer(mask.buffers()[1], dtype=np.uint8)
    flags = np.unpackbits(bits, bitorder="little")[mask.offset:mask.offset + len(mask)]
    return np.flatnonzero(flags).astype(np.int64, copy=False)


def check_block(block: Block, checks: list[FieldCheck], key_fields: set[str],
                log: ErrorLog) -> dict[str, pa.Array]:
    """Errors of one block into `log`; typed key columns for `key_fields`.
    Masks stay Arrow bitmaps; only the positions of flagged cells leave Arrow."""
    size = block.size
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
    log.add_rows(block.at(blank_at), Kind(PHASE_CELL, 0, "blank-row"))
    not_blank = pc.invert(blank_mask) if len(blank_at) else None

    keys: dict[str, pa.Array] = {}
    for check, raw, miss in zip(checks, raws, missing, strict=True):
        key = _check_cells(check, raw, miss, block, blank, log, check.name in key_fields)
        if key is not None:
            keys[check.name] = key

    for index in range(len(checks), len(block.columns)):
        column = block.columns[index]
        valid = pc.is_valid(column)
        present = _positions(valid if not_blank is None else pc.and_(valid, not_blank))
        values, codes = distinct(column.take(pa.array(present, pa.int64())))
        for value, at in zip(values, groups(codes, len(values)), strict=True):
            log.add_rows(block.at(present[at]),
                         Kind(PHASE_EXTRA, index + 1, "extra-cell", None, "", _text(value)))
    for check, raw in zip(checks, raws, strict=True):
        if not raw.null_count:
            continue
        absent_mask = pc.is_null(raw)
        absent = _positions(absent_mask if not_blank is None
                            else pc.and_(absent_mask, not_blank))
        log.add_rows(block.at(absent), Kind(PHASE_MISSING, check.number, "missing-cell",
                                            check.name))
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


def _check_cells(check: FieldCheck, raw: pa.Array, missing: pa.Array, block: Block,
                 blank: npt.NDArray[np.bool_], log: ErrorLog,
                 want_key: bool) -> pa.Array | None:
    """The slow path reads each distinct flagged value once; the errors of
    all the cells holding it go into the log as one array of rows."""
    # `missing` has no nulls; every Arrow call below is a few microseconds
    # holding the GIL, which the other worker waits for: as few as will do.
    if check.fast is not None:
        ok, typed = check.fast(raw, want_key or check.needs_values)
        ok = pc.and_not(pc.fill_null(ok, False) if ok.null_count else ok, missing)
    else:
        ok, typed = pa.array(np.zeros(len(raw), dtype=bool)), None
    slow = pc.invert(pc.or_(ok, missing))  # present and not certainly valid
    flagged = check.candidates(raw, ok, typed)
    if flagged is not None:
        slow = pc.or_(slow, pc.fill_null(flagged, False) if flagged.null_count else flagged)
    if check.required:
        slow = pc.or_(slow, missing)
    positions = _positions(slow)
    values, codes = (distinct(raw.take(pa.array(positions, pa.int64()))) if len(positions)
                     else ([], positions))
    reads = [check.read(value) for value in values]
    shown = ~blank[positions]
    for value, (_, notes), at in zip(values, reads, groups(codes, len(values)), strict=True):
        if not notes:
            continue
        rows = block.at(positions[at[shown[at]]])
        for name, note in notes.items():
            code = "type-error" if name == "type" else "constraint-error"
            log.add_rows(rows, Kind(PHASE_CELL, check.number, code, check.name, note,
                                    _text(value)))
    if not want_key:
        return None
    replacements = [key_scalar(check.kind, target)
                    if target is not None and not (notes and "type" in notes) else None
                    for target, notes in reads]
    return _key(check, typed, ok, positions, replacements, codes, len(raw))


def _key(check: FieldCheck, typed: pa.Array | None, ok: pa.Array, positions: IntArray,
         replacements: list[Any], codes: IntArray, size: int) -> pa.Array:
    """The typed key column: fast cells' values, and at `positions` the value
    the cell reader gave (`replacements`, one per distinct cell, by `codes`)."""
    kind = check.kind
    if kind not in KEY_TYPES:
        raise Unsupported(f"field '{check.name}' of type {kind} in a unique or foreign key")
    key_type = KEY_TYPES[kind]
    base = (pc.if_else(ok, typed, pa.scalar(None, key_type)) if typed is not None
            else pa.nulls(size, key_type))
    if base.type != key_type:
        base = pc.cast(base, key_type)
    if not len(positions):
        return base
    try:
        values = pa.array(replacements, key_type).take(pa.array(codes))
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise Unsupported(f"field '{check.name}': values without an exact key form") from exc
    mask = np.zeros(size, dtype=bool)
    mask[positions] = True
    return pc.replace_with_mask(base, pa.array(mask), values)


def schema_checks(fields: list[Any], schema: fl.Schema) -> list[FieldCheck]:
    from publisher.validate.engine.fields import build_check

    return [build_check(f, i, schema) for i, f in enumerate(fields, start=1)]
