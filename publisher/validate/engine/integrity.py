"""Unique fields, primary keys and foreign keys over whole key columns.

Keys are typed Arrow columns with the row number of each value. Equal values
get equal dictionary codes, so duplicates and lookups are numpy work on
integers; a null code (-1) equals another null, as None == None does in the
tuples frictionless compares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from publisher.validate.engine import native
from publisher.validate.engine.cells import (
    PHASE_FK,
    PHASE_PK,
    PHASE_UNIQUE,
    ErrorLog,
    Kind,
    distinct,
    groups,
)
from publisher.validate.engine.errors import Unsupported

IntArray = npt.NDArray[np.int64]


@dataclass
class Keys:
    """Typed key columns of one resource, in row order, with the row number
    of each value (None: no ragged rows, so value k is row k + 2)."""

    size: int
    row_numbers: IntArray | None
    columns: dict[str, pa.ChunkedArray]

    def rows(self, positions: IntArray) -> IntArray:
        if self.row_numbers is None:
            return positions + 2
        return np.asarray(self.row_numbers[positions], dtype=np.int64)

    def ids(self, names: list[str], eligible: npt.NDArray[np.bool_]) -> IntArray:
        """One integer id per eligible row for the tuple of `names`.

        A single numeric or temporal column is its own id (its 64 bits): no
        hash table, and built chunk by chunk, so no full-length temporaries."""
        if len(names) == 1:
            column = self.columns[names[0]]
            kind = column.type
            if pa.types.is_integer(kind) or pa.types.is_floating(kind) or \
                    pa.types.is_temporal(kind):
                parts, offset = [], 0
                for chunk in column.chunks:
                    parts.append(_bits(chunk)[eligible[offset:offset + len(chunk)]])
                    offset += len(chunk)
                return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        codes = _tuple_ids([_codes(self.columns[n]) for n in names])
        return np.asarray(codes[eligible], dtype=np.int64)


def _bits(chunk: pa.Array) -> IntArray:
    """The 64-bit pattern of each value (nulls as 0)."""
    kind = chunk.type
    if pa.types.is_date32(kind) or pa.types.is_time32(kind):
        chunk = chunk.view(pa.int32())
    elif pa.types.is_temporal(kind):
        chunk = chunk.view(pa.int64())
    values = np.asarray(pc.fill_null(chunk, 0).to_numpy(zero_copy_only=False))
    return values.view(np.int64) if values.dtype == np.float64 else \
        values.astype(np.int64, copy=False)


def _codes(column: pa.ChunkedArray | pa.Array) -> IntArray:
    encoded = pc.dictionary_encode(column.combine_chunks()
                                   if isinstance(column, pa.ChunkedArray) else column)
    indices = encoded.indices
    return np.asarray(pc.fill_null(indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _tuple_ids(codes: list[IntArray]) -> IntArray:
    if len(codes) == 1:
        return codes[0]
    stacked = np.stack(codes, axis=1)
    _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return np.asarray(inverse, dtype=np.int64).reshape(-1)


def _nan_rows(keys: Keys, names: list[str]) -> npt.NDArray[np.bool_]:
    """Rows with a NaN in `names`: Decimal NaN equals nothing, not even NaN."""
    nan = np.zeros(keys.size, dtype=bool)
    for name in names:
        column = keys.columns[name]
        if pa.types.is_floating(column.type):
            nan |= np.asarray(pc.fill_null(pc.is_nan(column), False)
                              .to_numpy(zero_copy_only=False), dtype=bool)
    return nan


def _suspects(ids: IntArray, descents: IntArray) -> IntArray | None:
    """Where an id may repeat when the ids increase but for a few: both sides
    of every descent. If the ids left out of those strictly increase, they are
    all distinct, so every repeated id is one of the suspects' ids. None when
    they do not, or when there are too many suspects for this to pay."""
    if len(descents) > len(ids) // 64:
        return None
    out = np.union1d(descents, descents + 1)
    breaks = out[1:] != out[:-1] + 1
    starts = out[np.concatenate([[True], breaks])]
    ends = out[np.concatenate([breaks, [True]])]
    inner = (starts > 0) & (ends < len(ids) - 1)
    if np.any(ids[starts[inner] - 1] >= ids[ends[inner] + 1]):
        return None
    return out


def _holders_among_suspects(ids: IntArray, suspects: IntArray) -> IntArray:
    """Positions holding a suspect's id, ascending, when the others' ids
    strictly increase: those are looked up by binary search, not hashed."""
    keep = np.ones(len(ids), dtype=bool)
    keep[suspects] = False
    others = ids[keep]
    del keep
    wanted = np.unique(ids[suspects])
    at = np.minimum(np.searchsorted(others, wanted), max(len(others) - 1, 0))
    found = at[others[at] == wanted] if len(others) else at[:0]
    # the j-th other is at position j + (suspects before it)
    before = suspects - np.arange(len(suspects))
    positions = found + np.searchsorted(before, found, side="right")
    return np.union1d(suspects, positions)


def _later_duplicates(ids: IntArray, eligible: npt.NDArray[np.bool_]) -> IntArray:
    """Positions (among all rows) of eligible rows whose id an earlier eligible
    row has, ascending; `ids` holds the eligible rows' ids only. Memory stays
    near two copies of `ids`: the repeated ids are found by sorting, then only
    the rows holding one of them are looked at."""
    if len(ids) < 2:
        return np.zeros(0, dtype=np.int64)
    descents = np.flatnonzero(ids[1:] <= ids[:-1])
    if not len(descents):
        return np.zeros(0, dtype=np.int64)  # strictly increasing: the usual key column
    suspects = _suspects(ids, descents)
    if suspects is not None:
        holders = _holders_among_suspects(ids, suspects)
    else:
        ordered = np.sort(ids, kind="stable")  # timsort: near linear on nearly sorted keys
        repeated = np.unique(ordered[1:][ordered[1:] == ordered[:-1]])
        del ordered
        holders = np.flatnonzero(pd.Series(ids, copy=False).isin(repeated).to_numpy())
    if not len(holders):
        return np.zeros(0, dtype=np.int64)
    held = ids[holders]
    order = np.argsort(held, kind="stable")  # equal ids keep their row order
    sorted_held = held[order]
    later = np.sort(holders[order[1:][sorted_held[1:] == sorted_held[:-1]]])
    return np.asarray(np.flatnonzero(eligible)[later], dtype=np.int64)


def _repeated(keys: Keys, names: list[str]) -> tuple[IntArray, IntArray]:
    """Positions of rows whose key is all null, and of rows (not all null,
    no NaN) whose key an earlier such row holds."""
    if len(names) == 1:
        found = native.repeated_keys(keys.columns[names[0]])
        if found is not None:
            return found
    null = np.ones(keys.size, dtype=bool)
    for name in names:
        null &= np.asarray(keys.columns[name].is_null().to_numpy(zero_copy_only=False),
                           dtype=bool)
    eligible = ~null & ~_nan_rows(keys, names)
    return np.flatnonzero(null), _later_duplicates(keys.ids(names, eligible), eligible)


def check_unique(keys: Keys, name: str, number: int, log: ErrorLog) -> None:
    column = keys.columns[name]
    later = _repeated(keys, [name])[1]
    if not len(later):
        return
    values, codes = distinct(column.take(pa.array(later)))
    for value, at in zip(values, groups(codes, len(values)), strict=True):
        log.add_rows(keys.rows(later[at]), Kind(PHASE_UNIQUE, number, "unique-error", name,
                                                "the same as in an earlier row", str(value)))


def check_primary_key(keys: Keys, names: list[str], log: ErrorLog) -> None:
    null, later = _repeated(keys, names)
    log.add_rows(keys.rows(null), Kind(
        PHASE_PK, 0, "primary-key", None, 'cells composing the primary keys are all "None"'))
    log.add_rows(keys.rows(later), Kind(PHASE_PK, 0, "primary-key", None,
                                        "the same as in an earlier row"))


def _common(child: pa.DataType, parent: pa.DataType) -> pa.DataType | None:
    if child == parent:
        return child
    numeric = {pa.int64(), pa.float64()}
    if {child, parent} <= numeric:
        return pa.float64()
    if pa.bool_() in (child, parent) and {child, parent} & numeric:
        raise Unsupported("a foreign key between boolean and numeric fields")
    return None  # never equal in Python: every child value fails


def check_foreign_key(child: Keys, fields: list[str], parent: Keys, reference: list[str],
                      target: str, log: ErrorLog) -> None:
    size = child.size
    all_null = np.ones(size, dtype=bool)
    for name in fields:
        all_null &= np.asarray(child.columns[name].is_null().to_numpy(zero_copy_only=False),
                               dtype=bool)
    parent_null = np.ones(parent.size, dtype=bool)
    for name in reference:
        parent_null &= np.asarray(parent.columns[name].is_null().to_numpy(zero_copy_only=False),
                                  dtype=bool)
    codes_child: list[IntArray] = []
    codes_parent: list[IntArray] = []
    comparable = True
    for mine, theirs in zip(fields, reference, strict=True):
        left, right = child.columns[mine], parent.columns[theirs]
        common = _common(left.type, right.type)
        if common is None:
            comparable = False
            break
        joint = pa.chunked_array([*pc.cast(left, common).chunks, *pc.cast(right, common).chunks],
                                 type=common)
        codes = _codes(joint)
        codes_child.append(codes[:size])
        codes_parent.append(codes[size:])
    if comparable:
        ids = _tuple_ids([np.concatenate([c, p]) for c, p in
                          zip(codes_child, codes_parent, strict=True)])
        found = np.isin(ids[:size], ids[size:][~parent_null & ~_nan_rows(parent, reference)])
        found &= ~_nan_rows(child, fields)
    else:
        found = np.zeros(size, dtype=bool)
    failing = np.flatnonzero(~found & ~all_null)
    if not len(failing):
        return
    note = (f'values of "{", ".join(fields)}" not found in the lookup table "{target}" '
            f'as "{", ".join(reference)}"')
    taken = pa.array(failing)
    values_of = [child.columns[n].take(taken).to_pylist() for n in fields]
    cells = pa.array([", ".join(map(str, row)) for row in zip(*values_of, strict=True)],
                     pa.string())
    values, codes = distinct(cells)
    for value, at in zip(values, groups(codes, len(values)), strict=True):
        log.add_rows(child.rows(failing[at]), Kind(PHASE_FK, 0, "foreign-key", None, note,
                                                   value))
