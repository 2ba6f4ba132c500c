"""k-anonymity enforcement for k-anonymise: generalise, then suppress locally.
The measures it uses are publisher.anonymity's."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from publisher.anonymity import class_ids, class_sizes, measure_k
from publisher.steps._coded import Coded, Version, of_series, version
from publisher.steps._generalise import SUPPRESSED, Hierarchy


@dataclass
class KResult:
    k_asked: int
    k_reached: int
    reached: bool
    levels: dict[str, int]
    versions: dict[str, Version]  # each quasi-identifier at its level
    suppressed: np.ndarray  # per record: its quasi-identifier cells are '*'
    records: int = 0
    rows_touched: int = 0  # records with at least one quasi-identifier cell suppressed
    cells_suppressed: int = 0
    notes: list[str] = field(default_factory=list)

    def values(self, column: str, positions: np.ndarray,
               original: pd.Series | None = None) -> pd.Series:
        """The published values of a quasi-identifier for the records at the
        positions (ORIGINAL: those records' own values, needed at level 0)."""
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
                  k: int, max_suppression: float, where: str = "") -> KResult:
    """Generalise (greedy, one quasi-identifier level at a time) until at most
    `max_suppression` of the records sit in classes below k, then suppress
    those records' quasi-identifier cells locally. Classes that are still too
    small after suppression (the suppressed records' own class) absorb the
    smallest remaining classes. `reached` is false when k could not be met
    within the suppression budget, or at all (fewer than k records). The
    classes are counted over integer codes (publisher.steps._coded): a level
    is applied once per distinct value."""
    columns = [h.column for h in hierarchies]
    levels = {h.column: 0 for h in hierarchies}
    cache: dict[tuple[str, int], Version] = {}

    def at(h: Hierarchy, level: int) -> Version:
        if (h.column, level) not in cache:
            cache[(h.column, level)] = version(h, coded[h.column], level, rows, where)
        return cache[(h.column, level)]

    def classes(current: dict[str, int]) -> pd.DataFrame:
        return pd.DataFrame({h.column: at(h, current[h.column]).codes for h in hierarchies})

    def violating(current: dict[str, int]) -> int:
        return int((class_sizes(classes(current), columns) < k).sum())

    n = len(rows)
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
    sizes = class_sizes(qis, columns)
    small = sizes < k
    within_budget = int(small.sum()) <= budget
    cells_suppressed = 0
    if small.any():
        starred = np.ones(n, dtype=bool)
        for column in columns:
            starred &= qis[column].to_numpy() == versions[column].star
        small = _absorb(qis, columns, sizes, small | starred, k)
        for column in columns:
            codes = qis[column].to_numpy().copy()
            star = versions[column].star
            cells_suppressed += int((codes[small] != star).sum())
            codes[small] = star if star >= 0 else -1
            qis[column] = codes
    k_reached = measure_k(qis, columns)
    result = KResult(k_asked=k, k_reached=k_reached,
                     reached=within_budget and k_reached >= k, levels=levels,
                     versions=versions, suppressed=small, records=n,
                     rows_touched=int(small.sum()), cells_suppressed=cells_suppressed)
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


def _absorb(qis: pd.DataFrame, columns: list[str], sizes: np.ndarray, chosen: np.ndarray,
            k: int) -> np.ndarray:
    """Grow the set of records to suppress until their common class holds k: take
    the missing records from the smallest class that keeps k without them, else
    whole classes (smallest first), so no remaining class drops below k. An
    already fully suppressed class joins the suppressed set for free (CHOSEN: the
    records below k and those)."""
    if chosen.sum() >= k:
        return chosen
    ids = class_ids(qis, columns)
    rest = pd.Series(sizes[~chosen], index=ids[~chosen]).groupby(level=0).first()
    rest = rest.sort_values(kind="stable")
    need = k - int(chosen.sum())
    donors = rest[rest >= k + need]
    if len(donors):  # the smallest class that can spare `need` records and keep k
        spare = np.flatnonzero((ids == donors.index[0]) & ~chosen)[:need]
        chosen = chosen.copy()
        chosen[spare] = True
        return chosen
    take = rest.index[: int(np.searchsorted(rest.cumsum().to_numpy(), need) + 1)]
    return chosen | np.isin(ids, take.to_numpy())
