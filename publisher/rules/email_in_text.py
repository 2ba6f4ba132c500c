"""email-in-text: e-mail addresses in any text cell (RULES.md section 1).

One compiled pattern, applied column by column with pandas' vectorised string
methods; Python only touches the matching cells, to build their findings.

What counts as an address: local@domain.tld with a dotted domain and an
alphabetic top-level domain of 2+ letters, also written with "(at)" / "[at]"
and "(dot)" / "[dot]" / "(punkt)" as German web pages do. Not flagged: "a @ b"
(spaces around a bare @), "user@localhost" and "name@intranet" (no top-level
domain: not reachable from outside, and too close to handles and formulas),
"@stadt" handles and "3@5.00".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd
from pydantic import Field

from publisher.masking import mask
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import Rule, RuleParams, rules

_AT = r"(?:@|\s?[\(\[]\s?at\s?[\)\]]\s?)"
_DOT = r"(?:\.|\s?[\(\[]\s?(?:dot|punkt)\s?[\)\]]\s?)"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
EMAIL = re.compile(
    rf"(?<![\w.%+-])([a-z0-9][a-z0-9._%+-]*{_AT}(?:{_LABEL}{_DOT})+[a-z]{{2,63}})(?![\w-])",
    re.IGNORECASE,
)
# A cheap first pass (no look-around, so Arrow strings run it natively).
_CANDIDATE = r"@|[\(\[]\s?at\s?[\)\]]"


class EmailInTextParams(RuleParams):
    columns: list[str] | None = None  # None: every text column
    max_findings: int = Field(1000, ge=1)  # listed per resource; stats count all


@rules.register
class EmailInText(Rule):
    type = "email-in-text"
    Params = EmailInTextParams
    default_severity = Severity.BLOCK
    hint = "drop the column with drop-columns, or aggregate the resource"

    def check(self, package: Package) -> Iterable[Finding]:
        assert isinstance(self.params, EmailInTextParams)
        named = self.params.columns
        counts: dict[str, int] = {}
        findings: list[Finding] = []
        seen: set[str] = set()
        for resource in package.resources:
            table = resource.table()
            columns = _text_columns(table, named)
            seen.update(columns)
            findings.extend(self._scan(resource.name, table, columns, counts))
        total = sum(counts.values())
        self.stats = {"cells_with_email": total, "by_field": counts}
        if named and not seen:
            findings.append(Finding(
                type=self.type, severity=Severity.WARN, rule=self.id,
                message=f"no text column named {', '.join(named)}: nothing was scanned",
                hint="name existing columns in the rule's 'columns', or leave it out"))
        return findings

    def _scan(self, resource: str, table: pd.DataFrame, columns: list[str],
              counts: dict[str, int]) -> list[Finding]:
        assert isinstance(self.params, EmailInTextParams)
        limit = self.params.max_findings
        findings: list[Finding] = []
        hits = 0
        for column in columns:
            found = _addresses(table[column])
            if found.empty:
                continue
            counts[f"{resource}.{column}"] = len(found)
            hits += len(found)
            room = limit - len(findings)
            for row, address in found.iloc[:max(room, 0)].items():
                findings.append(self.finding(
                    "an e-mail address in the text", resource=resource, row=_row(row),
                    field=column, sample=mask(address)))
        if hits > len(findings):
            findings.append(self.finding(
                f"{hits - len(findings)} more cells with e-mail addresses are not listed",
                resource=resource))
        return findings


def _addresses(values: pd.Series) -> pd.Series:
    """The first address in each cell that holds one, indexed by row."""
    try:
        candidates = values[values.str.contains(_CANDIDATE, case=False, na=False)]
    except AttributeError:  # an object column without strings
        return values.iloc[:0]
    return candidates.str.extract(EMAIL, expand=False).dropna()


def _text_columns(table: pd.DataFrame, named: list[str] | None) -> list[str]:
    geometry = table.geometry.name if isinstance(table, gpd.GeoDataFrame) else None
    out = []
    for column in table.columns:
        if column in (geometry, "geometry") or (named is not None and column not in named):
            continue
        dtype = table[column].dtype
        if pd.api.types.is_object_dtype(dtype) or isinstance(dtype, pd.StringDtype):
            out.append(str(column))
    return out


def _row(label: Any) -> int | None:
    try:
        return int(label)
    except (TypeError, ValueError):
        return None
