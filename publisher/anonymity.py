"""Equivalence classes over quasi-identifiers: the k-anonymity measures that
steps (k-anonymise, grid-aggregate, aggregate-areas, suppress-small-cells) and
the audit record share.

Measuring is columnar: every quasi-identifier is factorised to integer codes,
the codes are combined into one key per record and counted with bincount.
Missing values are a value of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd


def combined_key(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, int]:
    """One integer per record, equal exactly when the records' values are, and
    the bound it stays below (mixed radix over the columns' codes)."""
    return key_of((frame[column] for column in columns), len(frame))


def key_of(columns: Iterable[pd.Series | np.ndarray], n: int) -> tuple[np.ndarray, int]:
    """combined_key() over N records' columns, taken one at a time (a column made on
    demand is let go once it is in the key; the key is the one array per record)."""
    key = np.zeros(n, dtype=np.int64)
    radix = 1
    for column in columns:
        codes, low, size = _codes(column)
        if radix * size >= 2**62:  # the mixed-radix key would overflow: compact it first
            key, kept = pd.factorize(key)
            radix = max(len(kept), 1)
        key *= size
        key += codes
        if low:
            key -= low
        radix *= size
    return key, radix


def _codes(values: pd.Series | np.ndarray) -> tuple[np.ndarray, int, int]:
    """Integers equal exactly when the values are, from LOW, and how many there can be
    (they stay below LOW + that). Integer codes already (k-anonymise's classes) are
    taken as they are: factorising them again would cost a hash table and a copy per
    record."""
    array = values if isinstance(values, np.ndarray) else values.to_numpy()
    if array.dtype.kind in "iu" and len(array):
        low, high = int(array.min()), int(array.max())
        if high - low < max(2 * len(array), 1 << 16) and high < 2**63:
            return array.astype(np.int64, copy=False) if array.dtype == np.uint64 \
                else array, low, high - low + 1
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return codes, 0, max(len(uniques), 1)


def class_counts(columns: Iterable[pd.Series | np.ndarray], n: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """The records of each class of N units' columns (key_of), in no particular order
    (WEIGHTS: the records each unit stands for; None: one). Where the classes only
    need counting, this costs no hash table: a bincount of the key where it is
    dense, else a sort of it."""
    key, radix = key_of(columns, n)
    if radix <= max(2 * n, 1 << 16):
        dense: np.ndarray = np.bincount(key, weights=weights, minlength=1)
        return dense[dense > 0].astype(np.int64, copy=False)
    if weights is None:
        return np.unique(key, return_counts=True)[1].astype(np.int64, copy=False)
    _, inverse = np.unique(key, return_inverse=True)
    summed: np.ndarray = np.bincount(inverse.reshape(-1), weights=weights)
    return summed.astype(np.int64, copy=False)


def class_ids(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """One integer per record naming its equivalence class (0..n_classes-1)."""
    if not columns:
        return np.zeros(len(frame), dtype=np.int64)
    return ids_of((frame[column] for column in columns), len(frame))


def ids_of(columns: Iterable[pd.Series | np.ndarray], n: int) -> np.ndarray:
    """class_ids() over N records' columns, taken one at a time (key_of)."""
    key, _ = key_of(columns, n)
    ids, _ = pd.factorize(key)
    return ids.astype(np.int64)


def class_sizes(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Each record's equivalence class size."""
    ids = class_ids(frame, columns)
    return np.bincount(ids)[ids] if len(ids) else np.zeros(0, dtype=np.int64)


def measure_k(frame: pd.DataFrame, columns: list[str]) -> int:
    """The k the table reaches over the columns: its smallest class (0 when empty)."""
    if len(frame) == 0:
        return 0
    if not columns:
        return len(frame)
    return int(class_counts((frame[column] for column in columns), len(frame)).min())


def unique_share(frame: pd.DataFrame, columns: list[str]) -> float:
    """Share of records alone in their class (singling out)."""
    sizes = class_sizes(frame, columns)
    return float((sizes == 1).mean()) if len(sizes) else 0.0
