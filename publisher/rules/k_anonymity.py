"""k-anonymity: every combination of quasi-identifiers is shared by at least k
records (RULES.md section 3: default k = 5 for record-level data).

The quasi-identifiers are the columns the policy names (`quasi_identifiers`,
matched case-insensitively; the shipped policies list the RULES.md defaults:
age, sex, nationality, small-area codes, construction year, building type,
household size) plus the Table Schema fields marked `"quasiIdentifier": true`.
Published aggregates (a field marked `"aggregate": "count"`,
publisher.package.aggregates) are left to min-cell-count: a row is a cell,
not a record. Counting streams:
class sizes are summed batch by batch (on a cluster: on its workers, which hand
back a few figures, never one row per class).
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from publisher.masking import mask
from publisher.package.aggregates import count_fields
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules._quasi import class_summary, quasi_identifiers
from publisher.rules.base import Rule, RuleParams, rules


class KAnonymityParams(RuleParams):
    k: int = Field(5, ge=2, description="Every combination of quasi-identifier values is "
                                        "shared by at least k records.")
    quasi_identifiers: list[str] = Field(
        default_factory=list, description="Column names (any case) taken as quasi-identifiers, "
                                          "beside fields marked quasiIdentifier.")


@rules.register
class KAnonymity(Rule[KAnonymityParams]):
    type = "k-anonymity"
    example = """\
- id: k-anonymity
  type: k-anonymity
  severity: block
  params:
    k: 5
    quasi_identifiers: [alter, geschlecht, staatsangehoerigkeit, baujahr]
"""
    default_severity = Severity.BLOCK
    fixes = ("band-numbers", "truncate-datetime", "truncate-postcode", "k-anonymise")
    fix_how = ("coarsen the quasi-identifiers (age bands, day instead of time, shorter "
               "postcodes), or suppress rare combinations")

    def check(self, package: Package) -> Iterable[Finding]:
        k = self.params.k
        stats: dict[str, object] = {}
        for resource in package.resources:
            if count_fields(resource):
                continue
            columns = quasi_identifiers(resource, self.params.quasi_identifiers)
            if not columns:
                continue
            summary = class_summary(resource, columns, k, self.passes)
            stats[resource.name] = {"quasi_identifiers": columns, "classes": summary.classes,
                                    "min_class": summary.smallest,
                                    "records_at_risk": summary.small_records}
            if summary.first_small is None:
                continue
            example = " | ".join(str(v) for v in summary.first_small)
            # the smallest class is below k when any is
            yield self.finding(
                f"{summary.small_records} records fall in {summary.small_classes} "
                f"combinations of {', '.join(columns)} shared by fewer than k={k} records "
                f"(smallest: {summary.smallest})", resource=resource.name,
                field=", ".join(columns), sample=mask(example))
        self.stats = stats
