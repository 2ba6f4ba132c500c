"""Quasi-identifier columns as integer codes, for k-anonymise: each record's
position among its column's distinct values, so that the search over
generalisation levels counts classes of integers and each level is applied once
per distinct value, not once per record. A column of ten million records read
from a file so costs its codes (4 bytes a record) and its distinct values,
never ten million Python strings; a column read from a file keeps its distinct
values as Arrow text until a level needs them, a chunk at a time.

The coded units are records, or distinct combinations of the quasi-identifiers'
values each standing for its number of records (counted on a cluster's workers,
publisher.cluster.quasi): a code per unit either way, the weights say how many
records a unit holds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from publisher.errors import InputError
from publisher.package import batches
from publisher.package.model import Resource
from publisher.package.value_codes import ValueCodes
from publisher.passes import Combinations
from publisher.steps._generalise import (
    SUPPRESSED,
    Hierarchy,
    check_counted,
    integral_values,
)

CHUNK = 250_000  # distinct values generalised at a time
_MISSING = object()  # the key of a missing label


@dataclass(frozen=True)
class Coded:
    """One column: per unit (record or combination) the code of its value, the
    distinct values (a pandas Series in order of first appearance, or Arrow text: read
    from a file in sorted order with a missing value first, of combinations in order
    of first appearance) and the row number
    of each one's first record (what an error names)."""

    codes: np.ndarray
    distinct: pd.Series | pa.Array
    first_rows: np.ndarray

    def chunks(self) -> Iterator[pd.Series]:
        """The distinct values as text cells, CHUNK at a time, each indexed by the row
        number of its first record."""
        for start in range(0, len(self.distinct), CHUNK):
            part = self.distinct[start:start + CHUNK]
            values = part.to_pandas() if isinstance(part, pa.Array) else part
            yield pd.Series(values.to_numpy(dtype=object), dtype=object,
                            index=pd.Index(self.first_rows[start:start + CHUNK]))


def of_series(values: pd.Series) -> Coded:
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return _coded(codes.astype(np.int64, copy=False),
                  pd.Series(np.asarray(uniques, dtype=object), dtype=object),
                  values.index.to_numpy())


def of_combinations(combinations: Combinations, columns: list[str]
                    ) -> tuple[dict[str, Coded], np.ndarray, np.ndarray]:
    """The combinations coded as units: each column's codes (its values in order of
    first appearance among the combinations, a missing value one of them, kept as
    Arrow text), the units' first row numbers and the records each stands for."""
    rows = np.asarray(combinations.first, dtype=np.int64)
    coded = {}
    for column in columns:
        values = combinations.values.column(column).combine_chunks()
        encoded = pc.dictionary_encode(values.cast(pa.large_string()), null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        coded[column] = _coded(codes, encoded.dictionary, rows)
    return coded, rows, np.asarray(combinations.records, dtype=np.int64)


def of_file(resource: Resource, columns: list[str]) -> tuple[dict[str, Coded], np.ndarray]:
    """The columns of a resource's records not in memory, read in one pass as the
    whole-table reader gives them, coded batch by batch (publisher.package.value_codes:
    only int32 codes and the distinct texts are kept); and the records' row numbers."""
    encoders = {c: ValueCodes() for c in columns}
    rows: list[np.ndarray] = []
    for batch in batches.iter_batches(resource, columns, batches.BATCH_ROWS):
        rows.append(batch.rows)
        for column in columns:
            encoders[column].add(batch.columns[column].cast(pa.large_string()), batch.rows)
    numbers = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    del rows
    coded = {}
    for column in columns:
        encoded = encoders.pop(column).encoded(values=True)
        assert encoded.values is not None and encoded.first_rows is not None
        coded[column] = Coded(encoded.codes, encoded.values, encoded.first_rows)
    return coded, numbers


def _coded(codes: np.ndarray, distinct: pd.Series | pa.Array, rows: np.ndarray) -> Coded:
    firsts = np.zeros(len(distinct), dtype=np.int64)
    if len(codes):
        present, first = np.unique(codes, return_index=True)
        firsts[present] = rows[first]
    return Coded(codes, distinct, firsts)


@dataclass(frozen=True)
class Version:
    """A column at one level: per record the code of its label, and the labels
    (None at level 0: the labels are the column's own values). The codes are kept
    as the column's own codes and, above level 0, the label code of each distinct
    value: a search that tries many levels holds no array per record and level."""

    units: np.ndarray  # per record the code of its value (Coded.codes)
    mapping: np.ndarray | None  # per distinct value the code of its label; None: level 0
    labels: pd.Series | None
    star: int  # the code of '*', or -1 when no record holds it
    integral: bool | None = None  # a band level: whether the whole column is integral

    @property
    def codes(self) -> np.ndarray:
        """Per record the code of its label (made on each call)."""
        return self.units if self.mapping is None else self.mapping[self.units]

    def codes_at(self, positions: np.ndarray) -> np.ndarray:
        """The label codes of the records at the positions."""
        units: np.ndarray = self.units[positions]
        return units if self.mapping is None else self.mapping[units]

    def texts(self, coded: Coded, units: np.ndarray) -> pd.Series:
        """The labels of the units (of CODED) at the indices, as text."""
        if self.labels is None:
            distinct = coded.distinct
            values = (distinct.take(pa.array(coded.codes[units])).to_pandas()
                      if isinstance(distinct, pa.Array) else distinct.iloc[coded.codes[units]])
            return pd.Series(np.asarray(values, dtype=object), dtype=object).astype("string")
        return self.values(units)

    def values(self, positions: np.ndarray, original: pd.Series | None = None) -> pd.Series:
        """The labels of the records at the positions: at level 0 ORIGINAL, the
        records' own values, as text."""
        if self.labels is None:
            assert original is not None
            return original.astype("string")
        return pd.Series(self.labels.to_numpy(dtype=object)[self.codes_at(positions)],
                         dtype="string")


def version(h: Hierarchy, coded: Coded, level: int, weights: np.ndarray | None,
            where: str) -> Version:
    """The column generalised to a level, each distinct value once (at level 0
    the values as text: values held in memory may be typed). WEIGHTS: the records
    each unit stands for (to count a bad value's records; None: units are records)."""
    if level == 0 and isinstance(coded.distinct, pa.Array):  # text read from a file
        hit = pc.indices_nonzero(pc.fill_null(pc.equal(coded.distinct, SUPPRESSED), False))
        return Version(coded.codes, None, None, int(hit[0].as_py()) if len(hit) else -1)
    if level >= h.top:
        labels = pd.Series([SUPPRESSED], dtype="string")
        return Version(coded.codes, np.zeros(len(coded.distinct), dtype=np.int32), labels, 0)
    integral = None
    if h.kind == "band" and level > 0:
        integral = _guarded(lambda: integral_values(
            coded.chunks(), float(h.levels[level - 1]), h.origin, h.column, where),
            h, coded, level, weights, where)
    known: dict[Any, int] = {}
    of_distinct = np.zeros(len(coded.distinct), dtype=np.int32)
    start = 0
    for chunk in coded.chunks():
        generalised = _guarded(lambda c=chunk: h.apply(c, level, where, integral=integral),
                               h, coded, level, weights, where)
        local, labels = pd.factorize(generalised, use_na_sentinel=False)
        mapping = np.array([known.setdefault(_MISSING if pd.isna(label) else label,
                                             len(known)) for label in labels],
                           dtype=np.int64)
        of_distinct[start:start + len(chunk)] = mapping[local] if len(local) else local
        start += len(chunk)
    texts = pd.Series([None if label is _MISSING else label for label in known],
                      dtype="string")
    star = known.get(SUPPRESSED, -1)
    return Version(coded.codes, of_distinct, texts, star, integral)


def _guarded(work: Any, h: Hierarchy, coded: Coded, level: int, weights: np.ndarray | None,
             where: str) -> Any:
    """WORK over distinct values; a bad value is named as over the records: how
    many records hold one, and the first."""
    try:
        return work()
    except InputError:
        records = np.bincount(coded.codes, weights=weights, minlength=len(coded.distinct))
        check_counted(h, pd.concat(list(coded.chunks())), records.astype(np.int64), level,
                      where)
        raise
