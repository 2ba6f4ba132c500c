"""Shared by the rules on quasi-identifiers (RULES.md section 3): which columns
they are in a resource, and how many records share each combination."""

from __future__ import annotations

from collections.abc import Iterable

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
