"""k-anonymity enforcement for k-anonymise: generalise, then suppress locally.
The measures it uses are publisher.anonymity's.

The search runs over units that each stand for some records: the records
themselves (weight 1), or the distinct combinations of the quasi-identifiers'
raw values with their numbers of records (counted on a cluster's workers,
publisher.cluster.quasi). A class at any level is a union of combinations, so
its size is the sum of their weights, and which records are suppressed follows
from their combination, except the few records a donor class gives up
(_absorb): the first of that class in file order, which the caller finds
(Donors) when the units are not records. Over combinations, a record's
published values follow from its own values, the levels and the few classes
suppressed (ByValues): what a cluster's workers are handed to write them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from publisher.anonymity import class_counts, class_ids
from publisher.steps._coded import Coded, Version, of_series, version
from publisher.steps._generalise import SUPPRESSED, Hierarchy

MISSING = "\x00missing"  # a missing label, in a class's labels


@dataclass(frozen=True)
class ByValues:
    """Records' quasi-identifiers at the levels found, computed from their own values
    (Hierarchy.apply, a band's integral flag as over the whole column, which is what
    enforce_coded labels each distinct value with), and which records are marked:
    those whose class (its labels) is among CLASSES, and those at ROWS. Where the
    search ran over combinations, what a cluster's workers are handed to write the
    published values (marked: suppressed) or to find a donor class's records: the
    levels and a few classes, never a record's."""

    hierarchies: tuple[Hierarchy, ...]
    levels: dict[str, int]
    integral: dict[str, bool | None]
    classes: pd.MultiIndex
    rows: np.ndarray
    where: str

    def labels(self, frame: pd.DataFrame) -> dict[str, pd.Series]:
        """Each quasi-identifier's labels for the frame's records, as text."""
        out = {}
        for h in self.hierarchies:
            level = self.levels[h.column]
            out[h.column] = h.apply(frame[h.column], level, self.where,
                                    integral=self.integral.get(h.column)).astype("string")
        return out

    def marked(self, frame: pd.DataFrame, labels: dict[str, pd.Series]) -> np.ndarray:
        """Which of the frame's records (LABELS: theirs) are marked."""
        held = _classes(list(labels.values()))
        found: np.ndarray = held.isin(self.classes) if len(self.classes) else \
            np.zeros(len(frame), dtype=bool)
        if len(self.rows):
            found = found | np.isin(frame.index.to_numpy(), self.rows)
        return found

    def __call__(self, frame: pd.DataFrame) -> np.ndarray:
        return self.marked(frame, self.labels(frame))

    def published(self, frame: pd.DataFrame) -> dict[str, pd.Series]:
        """The frame's quasi-identifiers as published: the marked records' '*'."""
        labels = self.labels(frame)
        starred = self.marked(frame, labels)
        return {c: values.mask(starred, SUPPRESSED).astype("string")
                for c, values in labels.items()}


def _classes(labels: list[pd.Series]) -> pd.MultiIndex:
    """Classes by their labels (a missing one as MISSING)."""
    return pd.MultiIndex.from_arrays([v.fillna(MISSING).to_numpy(dtype=object)
                                      for v in labels])


# the row numbers of the first COUNT records (file order) that a ByValues marks
Donors = Callable[[ByValues, int], np.ndarray]


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
    donated: np.ndarray = field(  # over combinations: the rows a donor class gave up
        default_factory=lambda: np.zeros(0, dtype=np.int64))

    def values(self, column: str, positions: np.ndarray,
               original: pd.Series | None = None) -> pd.Series:
        """The published values of a quasi-identifier for the records at the
        positions, where the units are records (ORIGINAL: those records' own values,
        needed at level 0); over combinations see `published_by_values`."""
        out = self.versions[column].values(positions, original)
        out[self.suppressed[positions]] = SUPPRESSED
        return out


def enforce_k(frame: pd.DataFrame, hierarchies: list[Hierarchy], k: int,
              max_suppression: float, where: str = "") -> tuple[pd.DataFrame, KResult]:
    """enforce_coded() on a table in memory, and the table with its quasi-identifiers
    replaced by their published values."""
    columns = list(dict.fromkeys(h.column for h in hierarchies))
    coded = {c: of_series(frame[c]) for c in columns}
    result = enforce_coded(coded, frame.index.to_numpy(), hierarchies, k, max_suppression,
                           where)
    out = frame.copy()
    everyone = np.arange(len(frame))
    for column in columns:
        out[column] = result.values(column, everyone, frame[column]).to_numpy()
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
        totals = class_counts((at(h, current[h.column]).codes for h in hierarchies),
                              len(rows), weights)
        return int(totals[totals < k].sum())  # the records in classes below k

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
        cache.pop((chosen.column, levels[chosen.column] - 1), None)  # levels only rise
    versions = {h.column: at(h, levels[h.column]) for h in hierarchies}
    cache.clear()  # the levels not chosen (per distinct value each) are let go
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
            donor.rows = _given(donors)(by_values(
                hierarchies, levels, versions, coded, donor.units[:1], where), donor.count)
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


def by_values(hierarchies: list[Hierarchy], levels: dict[str, int],
              versions: dict[str, Version], coded: dict[str, Coded], units: np.ndarray,
              where: str, rows: np.ndarray | None = None) -> ByValues:
    """A ByValues at the levels that marks the classes of the units at the indices
    (of CODED, in VERSIONS at the levels), and ROWS."""
    columns = list(dict.fromkeys(h.column for h in hierarchies))
    classes = _classes([versions[c].texts(coded[c], units) for c in columns]).unique()
    return ByValues(tuple(hierarchies), dict(levels),
                    {c: v.integral for c, v in versions.items()}, classes,
                    np.zeros(0, dtype=np.int64) if rows is None else rows, where)


def published_by_values(result: KResult, hierarchies: list[Hierarchy], coded: dict[str, Coded],
              where: str) -> ByValues:
    """How the records of an enforce_coded over combinations are published, from
    their own values: the suppressed classes and the donated rows marked."""
    return by_values(hierarchies, result.levels, result.versions, coded,
                     np.flatnonzero(result.suppressed), where, result.donated)


def measured_k(coded: dict[str, Coded], weights: np.ndarray | None = None) -> int:
    """The k the units' raw values reach: publisher.anonymity.measure_k over records
    (WEIGHTS: the records each unit stands for)."""
    units = len(next(iter(coded.values())).codes)
    if not units:
        return 0
    totals = class_counts((v.codes for v in coded.values()), units, weights)
    return int(totals[totals > 0].min())


def class_sizes(qis: pd.DataFrame, columns: list[str], weights: np.ndarray | None
                ) -> np.ndarray:
    """Each unit's equivalence class size in records (WEIGHTS: each unit's records;
    None: the units are records)."""
    ids = class_ids(qis, columns)
    sizes: np.ndarray = _totals(ids, weights)[ids]
    return sizes


def _totals(ids: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    """The records of each class (IDS: each unit's; WEIGHTS: each unit's records)."""
    totals: np.ndarray = np.bincount(ids, weights=weights).astype(np.int64, copy=False)
    return totals


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
    ids = class_ids(qis, columns)
    totals = _totals(ids, weights)
    if donor.count:  # over records the donor's are among the suppressed already
        totals[ids[donor.units[0]]] -= donor.count
        totals[ids[np.flatnonzero(suppressed)[0]]] += donor.count
    return int(totals[totals > 0].min())
