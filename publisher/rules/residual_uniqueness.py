"""residual-uniqueness: the share of records unique on the quasi-identifiers
(singling out, GDPR Recital 26) stays at or below `max_unique_share`.

Record-level tables: the quasi-identifiers are those of k-anonymity (named by
the policy, or marked `"quasiIdentifier": true` in the Table Schema); a record
is unique when no other record shares its combination of their values.
Published aggregates (a field marked `"aggregate": "count"`): the records in
cells that count exactly 1. The measure is the one the audit record shows as
residual risk (which adds the position of point records).

Each measured resource gets a finding with its share: at the rule's severity
above the threshold, as info at or below it, so every report shows the figure.

Default 0.09: the re-identification risk threshold for publicly released data
in the EMA's guidance on its Policy 0070 and in Health Canada's guidance on the
Public Release of Clinical Information. A unique record carries a risk of 1,
so more than 9 % unique records alone put the average risk above it. Where
k-anonymity holds (RULES.md section 3: k = 5), no record is unique; this rule
keeps the figure in every report, and warns where a policy runs without k or
the quasi-identifiers differ.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from pydantic import Field

from publisher.package.aggregates import count_fields
from publisher.package.batches import iter_batches
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._quasi import class_summary, quasi_identifiers
from publisher.rules.base import Rule, RuleParams, rules

UNIQUE_BELOW = 2  # the summary's k (unused here: the rule reads `unique`)


class ResidualUniquenessParams(RuleParams):
    max_unique_share: float = Field(0.09, ge=0, lt=1,
                                    description="Largest share of records unique on the "
                                                "quasi-identifiers.")
    quasi_identifiers: list[str] = Field(
        default_factory=list, description="Column names (any case) taken as quasi-identifiers, "
                                          "beside fields marked quasiIdentifier.")


@rules.register
class ResidualUniqueness(Rule[ResidualUniquenessParams]):
    type = "residual-uniqueness"
    example = """\
- id: residual-uniqueness
  type: residual-uniqueness
  severity: warn
  params:
    max_unique_share: 0.09
    quasi_identifiers: [alter, geschlecht, baujahr]
"""
    default_severity = Severity.WARN
    fixes = ("band-numbers", "truncate-datetime", "truncate-postcode", "k-anonymise",
             "suppress-small-cells")
    fix_how = ("coarsen the quasi-identifiers or suppress rare combinations; for a table of "
               "counts, suppress small cells")

    def check(self, package: Package) -> Iterable[Finding]:
        limit = self.params.max_unique_share
        stats: dict[str, object] = {}
        findings: list[Finding] = []
        for resource in package.resources:
            measured = self._measure(resource)
            if measured is None:
                continue
            on, records, unique = measured
            share = unique / records if records else 0.0
            stats[resource.name] = {"on": on, "records": records, "unique": unique,
                                    "unique_share": round(share, 3)}
            finding = self.finding(
                f"{share:.1%} of the records ({unique} of {records}) are unique on {on}; "
                f"the policy allows at most {limit:.0%}", resource=resource.name, field=on)
            if share <= limit:  # the figure in every report; only a share above it warns
                finding.severity, finding.hint = Severity.INFO, None
            findings.append(finding)
        self.stats = {"max_unique_share": limit, "resources": stats}
        return findings

    def _measure(self, resource: Resource) -> tuple[str, int, int] | None:
        """What uniqueness is measured on, the records, and the unique ones."""
        counted = count_fields(resource)
        if counted:
            records = unique = 0
            for batch in iter_batches(resource, counted[:1]):
                values = pd.to_numeric(batch.columns[counted[0]].to_pandas(), errors="coerce")
                records += int(values.fillna(0).sum())
                unique += int((values == 1).sum())
            return counted[0], records, unique
        columns = quasi_identifiers(resource, self.params.quasi_identifiers)
        if not columns:
            return None
        summary = class_summary(resource, columns, UNIQUE_BELOW, self.passes)
        return ", ".join(columns), summary.records, summary.unique
