"""Shared by the rules on quasi-identifiers (RULES.md section 3): which columns
they are in a resource, how many records share each combination, and the few
figures of those class sizes the rules report (ClassSummary)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from publisher.package.batches import iter_batches, text_columns
from publisher.package.model import Resource
from publisher.passes import IN_PROCESS, Passes


def quasi_identifiers(resource: Resource, named: list[str]) -> list[str]:
    """The columns the policy names (case-insensitive) or the Table Schema marks
    `"quasiIdentifier": true`, in the data's order."""
    wanted = {q.lower() for q in named}
    marked = {f["name"] for f in resource.schema.get("fields", [])
              if isinstance(f, dict) and f.get("quasiIdentifier") is True and "name" in f}
    geometry = resource.geometry.columns if resource.geometry else ()
    return [c for c in text_columns(resource)
            if c not in geometry and (c.lower() in wanted or c in marked)]


def class_sizes(resource: Resource, columns: list[str], passes: Passes = IN_PROCESS
                ) -> pd.Series:
    """Records per combination of the columns' values, in order of first appearance,
    summed batch by batch; or where `passes` counts them (on a cluster: range by
    range on its workers, publisher.cluster.quasi, when the records are in a CSV
    file)."""
    counted = passes.class_sizes(resource, columns)
    if counted is not None:
        return counted
    frames = (pd.DataFrame({c: batch.columns[c].to_pandas() for c in columns})
              for batch in iter_batches(resource, columns))
    return add_classes(count_classes(frame, columns) for frame in frames)


def count_classes(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Records per combination of the columns' values in some records, in order of
    first appearance."""
    return frame.groupby(columns, sort=False, dropna=False).size()


def add_classes(counts: Iterable[pd.Series]) -> pd.Series:
    """Partial class counts of consecutive records summed; the combinations in order
    of first appearance, so the result does not depend on how the records were cut."""
    total: pd.Series | None = None
    for part in counts:
        total = part if total is None else pd.concat([total, part]).groupby(
            level=list(range(part.index.nlevels)), sort=False, dropna=False).sum()
    return (total if total is not None else pd.Series(dtype="int64")).astype("int64")


@dataclass(frozen=True)
class ClassSummary:
    """What k-anonymity and residual uniqueness report of a resource's class sizes
    (records per combination of the quasi-identifiers' values), given k."""

    k: int
    records: int
    classes: int
    smallest: int  # the smallest class's records; 0 without a record
    unique: int  # classes of one record
    small_classes: int  # classes of fewer than k records
    small_records: int  # the records in them
    # the values of the first class below k in order of first appearance
    first_small: tuple[object, ...] | None


def summarise(sizes: pd.Series, k: int) -> ClassSummary:
    """The summary of class sizes in order of first appearance (class_sizes)."""
    small = sizes[sizes < k]
    return ClassSummary(
        k=k, records=int(sizes.sum()), classes=len(sizes),
        smallest=int(sizes.min()) if len(sizes) else 0, unique=int((sizes == 1).sum()),
        small_classes=len(small), small_records=int(small.sum()),
        first_small=as_values(small.index[0]) if len(small) else None)


def class_summary(resource: Resource, columns: list[str], k: int,
                  passes: Passes = IN_PROCESS) -> ClassSummary:
    """The summary of the class sizes of the resource's records; where `passes`
    summarises them (on a cluster: partial counts combined on its workers,
    publisher.cluster.classes), or counted here, batch by batch."""
    summarised = passes.class_summary(resource, columns, k)
    if summarised is not None:
        return summarised
    return summarise(class_sizes(resource, columns), k)


def as_values(label: object) -> tuple[object, ...]:
    """A class's values from its label in the class sizes' index (one column's
    labels are not tuples)."""
    return label if isinstance(label, tuple) else (label,)
