"""Shared by the rules on quasi-identifiers (RULES.md section 3): which columns
they are in a resource, and how many records share each combination."""

from __future__ import annotations

import pandas as pd

from publisher.package.batches import iter_batches, text_columns
from publisher.package.model import Resource


def quasi_identifiers(resource: Resource, named: list[str]) -> list[str]:
    """The columns the policy names (case-insensitive) or the Table Schema marks
    `"quasiIdentifier": true`, in the data's order."""
    wanted = {q.lower() for q in named}
    marked = {f["name"] for f in resource.schema.get("fields", [])
              if isinstance(f, dict) and f.get("quasiIdentifier") is True and "name" in f}
    geometry = resource.geometry.columns if resource.geometry else ()
    return [c for c in text_columns(resource)
            if c not in geometry and (c.lower() in wanted or c in marked)]


def class_sizes(resource: Resource, columns: list[str]) -> pd.Series:
    """Records per combination of the columns' values, summed batch by batch."""
    total: pd.Series | None = None
    for batch in iter_batches(resource, columns):
        frame = pd.DataFrame({c: batch.columns[c].to_pandas() for c in columns})
        counts = frame.value_counts(dropna=False)
        total = counts if total is None else total.add(counts, fill_value=0)
    return (total if total is not None else pd.Series(dtype="int64")).astype("int64")
