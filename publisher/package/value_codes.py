"""A column of records not in memory as integer codes, built batch by batch as it
is read: each batch is dictionary-encoded at once (its distinct values once, as
Arrow data, and an int32 index per record), so no batch's values are held whole.

The codes number the distinct values of all batches by their dense rank: a sort of
the batches' dictionaries. Unifying them in a hash table instead costs far more
memory where nearly every value is distinct (timestamps): the table holds every
distinct value besides the dictionaries it unifies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publisher.memory import give_back

_UNSEEN = np.iinfo(np.int64).max


@dataclass(frozen=True)
class Encoded:
    """Per record the code of its value (int32, 0..size-1, in the order of the
    values; a missing value, where one is, is code 0), the number of codes, and
    when asked for: each code's value (a missing one: null) and the row number of
    its first record."""

    codes: np.ndarray
    size: int
    values: pa.Array | None = None
    first_rows: np.ndarray | None = None


class ValueCodes:
    """Collects one column's batches (`add`), then codes them (`encoded`)."""

    def __init__(self) -> None:
        self._chunks: list[pa.DictionaryArray] = []
        self._firsts: list[np.ndarray] = []
        self.records = 0

    def add(self, values: pa.Array, rows: np.ndarray | None = None) -> None:
        """A batch's values; ROWS (their row numbers) where first rows are wanted."""
        encoded = pc.dictionary_encode(values)
        self._chunks.append(encoded)
        self.records += len(values)
        if rows is not None:  # per local code (a missing value's last) its first row
            local = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy()
            present, first = np.unique(local, return_index=True)
            firsts = np.full(len(encoded.dictionary) + 1, _UNSEEN, dtype=np.int64)
            firsts[present] = rows[first]
            self._firsts.append(firsts)

    def encoded(self, values: bool = False) -> Encoded:
        """The codes of the records added (the batches are let go); VALUES: each code's
        value too, and the first rows where `add` was given them."""
        chunks, self._chunks = self._chunks, []
        firsts, self._firsts = self._firsts, []
        codes = np.zeros(self.records, dtype=np.int32)
        if not chunks:
            return Encoded(codes, 1, pa.array([], pa.large_string()) if values else None,
                           np.zeros(0, dtype=np.int64) if values else None)
        dictionaries = pa.chunked_array([chunk.dictionary for chunk in chunks])
        bounds = np.cumsum([0, *(len(chunk.dictionary) for chunk in chunks)])
        missing = any(chunk.null_count for chunk in chunks)
        indices = [chunk.indices for chunk in chunks]
        del chunks
        give_back()
        # dense ranks from 1: code 0 is a missing value, or unused and taken away
        ranks = pc.rank(dictionaries, tiebreaker="dense").to_numpy().astype(np.int32)
        if not missing:
            ranks -= 1
        size = max(int(ranks.max(initial=-1)) + 1, int(missing))
        texts = _values(dictionaries, ranks, size, missing) if values else None
        del dictionaries
        give_back()
        first_rows = np.full(size, _UNSEEN, dtype=np.int64) if firsts else None
        at = 0
        for i, part in enumerate(indices):
            # a missing value (local index -1) is code 0
            mapping = np.concatenate([np.zeros(1, dtype=np.int32),
                                      ranks[bounds[i]:bounds[i + 1]]])
            local = pc.fill_null(part, -1).to_numpy(zero_copy_only=False)
            codes[at:at + len(local)] = mapping[local + 1]
            at += len(local)
            indices[i] = pa.array([], type=pa.int32())
            if first_rows is not None:  # a batch's codes are distinct: no index twice
                mine = np.roll(mapping, -1)  # in local order, a missing value's last
                local_firsts = firsts[i]
                if not missing:
                    mine, local_firsts = mine[:-1], local_firsts[:-1]
                first_rows[mine] = np.minimum(first_rows[mine], local_firsts)
        if first_rows is not None:
            first_rows[first_rows == _UNSEEN] = 0
        return Encoded(codes, max(size, 1), texts, first_rows)


def _values(dictionaries: pa.ChunkedArray, ranks: np.ndarray, size: int,
            missing: bool) -> pa.Array:
    """Each code's value: one place of each rank among the dictionaries, taken."""
    places = np.zeros(size, dtype=np.int64)
    places[ranks] = np.arange(len(ranks), dtype=np.int64)
    taken = dictionaries.take(pa.array(places[1:] if missing else places)).combine_chunks()
    if missing:
        return pa.concat_arrays([pa.nulls(1, taken.type), taken])
    return taken
