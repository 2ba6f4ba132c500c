"""person-name-in-text: person names in text cells, and columns of names
(RULES.md section 1, last row).

In a cell (publisher.detect, kind "person-name", no model): a known first name
followed by a capitalised word ("Klaus Wagner", "Elif Öztürk"), a surname
after an address form or title ("Herr Becker", "Frau Dr. Schmidt", "Familie
Krause"), a name after a closing formula ("Viele Grüße,\\nElif Öztürk",
"MfG Becker", "i. A. Müller"), and "Wagner, Klaus". Not flagged: streets,
schools, bridges and stops named after people ("Albert-Schweitzer-Schule",
"Willy Brandt Platz"), shop and firm names ("Bäckerei Müller"), saints and
holidays, brands, and first names that are words or dates ("im August").

A column: a column whose values are mostly person names ("Wagner", "Wagner,
K.", "Öztürk, Elif") is personal by its values, whatever it is called; at
`column_share` or more (the share of its non-empty cells) it gets one finding
naming the column and its count, beside the cell findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import Field

from publisher.detect.names import DEFAULT_COLUMN_SHARE
from publisher.package.model import Package
from publisher.report import Finding
from publisher.rules._identifiers import IdentifierParams, IdentifierRule, scan_resource
from publisher.rules.base import fix_hint, rules


class PersonNameParams(IdentifierParams):
    column_share: float = Field(DEFAULT_COLUMN_SHARE, gt=0, le=1,
                                description="A column with at least this share of name values "
                                            "is reported as a whole.")


@rules.register
class PersonNameInText(IdentifierRule[PersonNameParams]):
    type = "person-name-in-text"
    example = """\
- id: person-name-in-text
  type: person-name-in-text
  severity: block
  params:
    column_share: 0.5
"""
    kinds = ("person-name",)
    what = "a person's name"

    def check(self, package: Package) -> Iterable[Finding]:
        findings = list(super().check(package))
        named = self.params.columns
        columns: dict[str, int] = {}
        for resource in package.resources:
            scan = scan_resource(resource)
            for column, share in scan.names.items():
                if named is not None and column not in named:
                    continue
                if share.share >= self.params.column_share and share.cells:
                    columns[f"{resource.name}.{column}"] = share.cells
                    findings.append(self.finding(
                        f"the column holds person names: about {share.cells} of its "
                        f"{share.nonempty} values ({share.share:.0%})",
                        resource=resource.name, field=column,
                        hint=fix_hint("remove the column, or pseudonymise it",
                                      ("drop-columns", "pseudonymise"))))
        self.stats["name_columns"] = columns
        return findings
