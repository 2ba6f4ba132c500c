"""k-anonymity enforcement for k-anonymise: generalise, then suppress locally.
The measures it uses are publisher.anonymity's."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from publisher.anonymity import class_ids, class_sizes, measure_k
from publisher.steps._generalise import SUPPRESSED, Hierarchy


@dataclass
class KResult:
    table: pd.DataFrame
    k_asked: int
    k_reached: int
    reached: bool
    levels: dict[str, int]
    rows_touched: int = 0  # records with at least one quasi-identifier cell suppressed
    cells_suppressed: int = 0
    notes: list[str] = field(default_factory=list)


def enforce_k(frame: pd.DataFrame, hierarchies: list[Hierarchy], k: int,
              max_suppression: float, where: str = "") -> KResult:
    """Generalise (greedy, one quasi-identifier level at a time) until at most
    `max_suppression` of the records sit in classes below k, then suppress
    those records' quasi-identifier cells locally. Classes that are still too
    small after suppression (the suppressed records' own class) absorb the
    smallest remaining classes. `reached` is false when k could not be met
    within the suppression budget, or at all (fewer than k records)."""
    columns = [h.column for h in hierarchies]
    levels = {h.column: 0 for h in hierarchies}
    cache: dict[tuple[str, int], pd.Series] = {}

    def version(h: Hierarchy, level: int) -> pd.Series:
        if (h.column, level) not in cache:
            cache[(h.column, level)] = h.apply(frame[h.column], level, where)
        return cache[(h.column, level)]

    def generalised(current: dict[str, int]) -> pd.DataFrame:
        return pd.DataFrame({h.column: version(h, current[h.column]) for h in hierarchies},
                            index=frame.index)

    # each version's texts as integer codes, equal where the texts are: the classes the
    # search counts for every candidate level, without hashing the texts again
    codes: dict[tuple[str, int], np.ndarray] = {}

    def coded(h: Hierarchy, level: int) -> np.ndarray:
        if (h.column, level) not in codes:
            codes[(h.column, level)] = pd.factorize(version(h, level),
                                                    use_na_sentinel=False)[0]
        return codes[(h.column, level)]

    def violating(current: dict[str, int]) -> int:
        classes = pd.DataFrame({h.column: coded(h, current[h.column]) for h in hierarchies})
        return int((class_sizes(classes, columns) < k).sum())

    n = len(frame)
    budget = int(np.floor(max_suppression * n))
    bad = violating(levels)
    while bad > budget:
        options = [(violating({**levels, h.column: levels[h.column] + 1}), i, h)
                   for i, h in enumerate(hierarchies) if levels[h.column] < h.top]
        if not options:
            break
        bad, _, chosen = min(options, key=lambda o: (o[0], o[1]))
        levels[chosen.column] += 1
    qis = generalised(levels)
    sizes = class_sizes(qis, columns)
    small = sizes < k
    within_budget = int(small.sum()) <= budget
    if small.any():
        small = _absorb(qis, columns, sizes, small, k)
        cells = qis.loc[small, columns] != SUPPRESSED
        cells_suppressed = int(cells.to_numpy().sum())
        qis.loc[small, columns] = SUPPRESSED
    else:
        cells_suppressed = 0
    out = frame.copy()
    for column in columns:
        out[column] = qis[column]
    k_reached = measure_k(qis, columns)
    result = KResult(table=out, k_asked=k, k_reached=k_reached,
                     reached=within_budget and k_reached >= k, levels=levels,
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


def _absorb(qis: pd.DataFrame, columns: list[str], sizes: np.ndarray, small: np.ndarray,
            k: int) -> np.ndarray:
    """Grow the set of records to suppress until their common class holds k: take
    the missing records from the smallest class that keeps k without them, else
    whole classes (smallest first), so no remaining class drops below k. An
    already fully suppressed class joins the suppressed set for free."""
    starred = (qis[columns] == SUPPRESSED).all(axis=1).to_numpy()
    chosen = small | starred
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
