"""k-anonymity: every combination of quasi-identifiers is shared by at least k
records (RULES.md section 3: default k = 5 for record-level data).

The quasi-identifiers are the columns the policy names (`quasi_identifiers`,
matched case-insensitively; the shipped policies list the RULES.md defaults:
age, sex, nationality, small-area codes, construction year, building type,
household size) plus the Table Schema fields marked `"quasiIdentifier": true`.
Aggregate tables (with a count column) are left to min-cell-count. Counting
streams: class sizes are summed batch by batch.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from pydantic import Field

from publisher.masking import mask
from publisher.package.batches import iter_batches
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._tables import COUNT_FIELDS, count_field
from publisher.rules.base import Rule, RuleParams, rules


class KAnonymityParams(RuleParams):
    k: int = Field(5, ge=2)
    quasi_identifiers: list[str] = Field(default_factory=list)
    count_fields: list[str] = Field(default_factory=lambda: list(COUNT_FIELDS))


@rules.register
class KAnonymity(Rule):
    type = "k-anonymity"
    Params = KAnonymityParams
    default_severity = Severity.BLOCK
    hint = ("coarsen the quasi-identifiers with generalise (age bands, day instead of "
            "time) or suppress rare combinations with k-anonymise")

    def check(self, package: Package) -> Iterable[Finding]:
        assert isinstance(self.params, KAnonymityParams)
        k = self.params.k
        stats: dict[str, object] = {}
        for resource in package.resources:
            if count_field(resource, self.params.count_fields):
                continue
            columns = self._quasi_identifiers(resource)
            if not columns:
                continue
            sizes = _class_sizes(resource, columns)
            small = sizes[sizes < k]
            stats[resource.name] = {"quasi_identifiers": columns, "classes": len(sizes),
                                    "min_class": int(sizes.min()) if len(sizes) else 0,
                                    "records_at_risk": int(small.sum())}
            if small.empty:
                continue
            example = " | ".join(str(v) for v in _as_tuple(small.index[0]))
            yield self.finding(
                f"{int(small.sum())} records fall in {len(small)} combinations of "
                f"{', '.join(columns)} shared by fewer than k={k} records "
                f"(smallest: {int(small.min())})", resource=resource.name,
                field=", ".join(columns), sample=mask(example))
        self.stats = stats

    def _quasi_identifiers(self, resource: Resource) -> list[str]:
        assert isinstance(self.params, KAnonymityParams)
        named = {q.lower() for q in self.params.quasi_identifiers}
        marked = {f["name"] for f in resource.schema.get("fields", [])
                  if isinstance(f, dict) and f.get("quasiIdentifier") is True and "name" in f}
        data = resource.table()
        return [str(c) for c in data.columns if str(c).lower() in named or c in marked]


def _class_sizes(resource: Resource, columns: list[str]) -> pd.Series:
    total: pd.Series | None = None
    for batch in iter_batches(resource, columns):
        frame = pd.DataFrame({c: batch.columns[c].to_pandas() for c in columns})
        counts = frame.value_counts(dropna=False)
        total = counts if total is None else total.add(counts, fill_value=0)
    return (total if total is not None else pd.Series(dtype="int64")).astype("int64")


def _as_tuple(value: object) -> tuple[object, ...]:
    return value if isinstance(value, tuple) else (value,)
