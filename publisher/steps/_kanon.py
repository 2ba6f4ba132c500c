"""k-anonymity enforcement for k-anonymise: generalise, then suppress locally.
The measures it uses are publisher.anonymity's.

The search runs over units that each stand for some records: the records
themselves (weight 1), or the distinct combinations of the quasi-identifiers'
raw values with their numbers of records (counted on a cluster's workers,
publisher.cluster.quasi). A class at any level is a union of combinations, so
its size is the sum of their weights, and which records are suppressed follows
from their combination, except the few records a donor class gives up
(_absorb): the first of that class in file order, which the caller finds
(Donors) when the units are not records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from publisher.anonymity import class_ids, measure_k
from publisher.steps._coded import Coded, Version, of_series, version
from publisher.steps._generalise import SUPPRESSED, Hierarchy

# the row numbers of the first COUNT records (file order) of the units at the indices
Donors = Callable[[np.ndarray, int], np.ndarray]


@dataclass
class KResult:
    k_asked: int
    k_reached: int
    reached: bool
    levels: dict[str, int]
    versions: dict[str, Version]  # each quasi-identifier at its level, per unit
    suppressed: np.ndarray  # per unit: its records' quasi-identifier cells are '*'
    records: int = 0
    rows_touched: int = 0  # records with at least one quasi-identifier cell suppressed
    cells_suppressed: int = 0
    notes: list[str] = field(default_factory=list)
    donated: np.ndarray = field(  # row numbers of records suppressed one by one (_absorb)
        default_factory=lambda: np.zeros(0, dtype=np.int64))

    def values(self, column: str, positions: np.ndarray, rows: np.ndarray,
               original: pd.Series | None = None) -> pd.Series:
        """The published values of a quasi-identifier for records of the units at
        the positions, with the row numbers ROWS (ORIGINAL: those records' own
        values, needed at level 0)."""
        out = self.versions[column].values(positions, original)
        starred = self.suppressed[positions]
        if len(self.donated):
            starred = starred | np.isin(rows, self.donated)
        out[starred] = SUPPRESSED
        return out


def enforce_k(frame: pd.DataFrame, hierarchies: list[Hierarchy], k: int,
              max_suppression: float, where: str = "") -> tuple[pd.DataFrame, KResult]:
    """enforce_coded() on a table in memory, and the table with its quasi-identifiers
    replaced by their published values."""
    columns = list(dict.fromkeys(h.column for h in hierarchies))
    coded = {c: of_series(frame[c]) for c in columns}
    rows = frame.index.to_numpy()
    result = enforce_coded(coded, rows, hierarchies, k, max_suppression, where)
    out = frame.copy()
    everyone = np.arange(len(frame))
    for column in columns:
        out[column] = result.values(column, everyone, rows, frame[column]).to_numpy()
        out[column] = out[column].astype("string")
    return out, result


def enforce_coded(coded: dict[str, Coded], rows: np.ndarray, hierarchies: list[Hierarchy],
                  k: int, max_suppression: float, where: str = "",
                  weights: np.ndarray | None = None, donors: Donors | None = None
                  ) -> KResult:
    """Generalise (greedy, one quasi-identifier level at a time) until at most
    `max_suppression` of the records sit in classes below k, then suppress
    those records' quasi-identifier cells locally. Classes that are still too
    small after suppression (the suppressed records' own class) absorb the
    smallest remaining classes. `reached` is false when k could not be met
    within the suppression budget, or at all (fewer than k records). The
    classes are counted over integer codes (publisher.steps._coded): a level
    is applied once per distinct value.

    The units coded are records (ROWS: their row numbers, in file order), or with
    WEIGHTS combinations of values standing for that many records (ROWS: each
    one's first, ascending); then DONORS finds the records a donor class gives up."""
    columns = [h.column for h in hierarchies]
    levels = {h.column: 0 for h in hierarchies}
    cache: dict[tuple[str, int], Version] = {}

    def at(h: Hierarchy, level: int) -> Version:
        if (h.column, level) not in cache:
            cache[(h.column, level)] = version(h, coded[h.column], level, weights, where)
        return cache[(h.column, level)]

    def classes(current: dict[str, int]) -> pd.DataFrame:
        return pd.DataFrame({h.column: at(h, current[h.column]).codes for h in hierarchies})

    def violating(current: dict[str, int]) -> int:
        return _records(class_sizes(classes(current), columns, weights) < k, weights)

    n = len(rows) if weights is None else int(weights.sum())
    budget = int(np.floor(max_suppression * n))
    bad = violating(levels)
    while bad > budget:
        options = [(violating({**levels, h.column: levels[h.column] + 1}), i, h)
                   for i, h in enumerate(hierarchies) if levels[h.column] < h.top]
        if not options:
            break
        bad, _, chosen = min(options, key=lambda o: (o[0], o[1]))
        levels[chosen.column] += 1
    versions = {h.column: at(h, levels[h.column]) for h in hierarchies}
    qis = classes(levels)
    sizes = class_sizes(qis, columns, weights)
    small = sizes < k
    within_budget = _records(small, weights) <= budget
    cells_suppressed = 0
    donor = _Donor()
    if small.any():
        starred = np.ones(len(rows), dtype=bool)
        for column in columns:
            starred &= qis[column].to_numpy() == versions[column].star
        small, donor = _absorb(qis, columns, sizes, small | starred, k, weights)
        if donor.count and weights is None:  # records: the donor's first ones join them
            small[donor.units[:donor.count]] = True
            donor = _Donor()
        elif donor.count:
            donor.rows = _given(donors)(donor.units, donor.count)
        for column in columns:
            codes = qis[column].to_numpy().copy()
            star = versions[column].star
            cells_suppressed += _records(small & (codes != star), weights)
            if donor.count and codes[donor.units[0]] != star:
                cells_suppressed += donor.count
            codes[small] = star if star >= 0 else -1
            qis[column] = codes
    k_reached = _reached(qis, columns, weights, small, donor) if n else 0
    result = KResult(k_asked=k, k_reached=k_reached,
                     reached=within_budget and k_reached >= k, levels=levels,
                     versions=versions, suppressed=small, records=n,
                     rows_touched=_records(small, weights) + donor.count,
                     cells_suppressed=cells_suppressed, donated=np.sort(donor.rows))
    if not within_budget:
        result.notes.append(f"more than {max_suppression:.0%} of the records needed "
                            "suppression even at the coarsest generalisation")
    elif result.rows_touched > budget:
        result.notes.append(f"{result.rows_touched - budget} record(s) beyond the "
                            f"{max_suppression:.0%} budget were suppressed with a class they "
                            "joined, so that the suppressed records' own class holds k")
    if k_reached < k:
        result.notes.append(f"only {n} record(s): k = {k} cannot be reached")
    return result


def measured_k(coded: dict[str, Coded], weights: np.ndarray | None = None) -> int:
    """The k the units' raw values reach: publisher.anonymity.measure_k over records
    (WEIGHTS: the records each unit stands for)."""
    frame = pd.DataFrame({c: v.codes for c, v in coded.items()})
    if weights is None:
        return measure_k(frame, list(coded))
    if not len(frame):
        return 0
    totals = np.bincount(class_ids(frame, list(coded)), weights=weights)
    return int(totals[totals > 0].min())


def class_sizes(qis: pd.DataFrame, columns: list[str], weights: np.ndarray | None
                ) -> np.ndarray:
    """Each unit's equivalence class size in records (WEIGHTS: each unit's records;
    None: the units are records)."""
    ids = class_ids(qis, columns)
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    sizes: np.ndarray = np.bincount(ids, weights=weights).astype(np.int64, copy=False)[ids]
    return sizes


def _records(units: np.ndarray, weights: np.ndarray | None) -> int:
    """The records of the units marked."""
    return int(units.sum()) if weights is None else int(weights[units].sum())


@dataclass
class _Donor:
    """The records a donor class gives up (_absorb): the first COUNT records (in file
    order) of its UNITS, and their row numbers once found."""

    units: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    count: int = 0
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _given(donors: Donors | None) -> Donors:
    assert donors is not None, "units that are not records need a way to find donors"
    return donors


def _absorb(qis: pd.DataFrame, columns: list[str], sizes: np.ndarray, chosen: np.ndarray,
            k: int, weights: np.ndarray | None) -> tuple[np.ndarray, _Donor]:
    """Grow the set of records to suppress until their common class holds k: take
    the missing records from the smallest class that keeps k without them, else
    whole classes (smallest first), so no remaining class drops below k. An
    already fully suppressed class joins the suppressed set for free (CHOSEN: the
    units below k and those). The donor class's records are taken one by one: its
    units and how many records (the first in file order)."""
    taken = _records(chosen, weights)
    if taken >= k:
        return chosen, _Donor()
    ids = class_ids(qis, columns)
    rest = pd.Series(sizes[~chosen], index=ids[~chosen]).groupby(level=0).first()
    rest = rest.sort_values(kind="stable")
    need = k - taken
    donors = rest[rest >= k + need]
    if len(donors):  # the smallest class that can spare `need` records and keep k
        return chosen, _Donor(np.flatnonzero((ids == donors.index[0]) & ~chosen), need)
    take = rest.index[: int(np.searchsorted(rest.cumsum().to_numpy(), need) + 1)]
    return chosen | np.isin(ids, take.to_numpy()), _Donor()


def _reached(qis: pd.DataFrame, columns: list[str], weights: np.ndarray | None,
             suppressed: np.ndarray, donor: _Donor) -> int:
    """The k reached (the smallest class in records) once the suppressed units' codes
    are '*' (in QIS) and the donor's records have joined them."""
    if weights is None:  # records: the donor's are among the suppressed already
        return measure_k(qis, columns)
    ids = class_ids(qis, columns)
    totals = np.bincount(ids, weights=weights).astype(np.int64, copy=False)
    if donor.count:
        totals[ids[donor.units[0]]] -= donor.count
        totals[ids[np.flatnonzero(suppressed)[0]]] += donor.count
    return int(totals[totals > 0].min())
