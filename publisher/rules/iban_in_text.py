"""iban-in-text: bank account numbers (IBAN) in text cells (RULES.md section 1).

Any country's IBAN, in groups of four or compact; confirmed by the mod-97
check (stdnum.iban).
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class IbanInText(IdentifierRule[IdentifierParams]):
    type = "iban-in-text"
    example = """\
- id: iban-in-text
  type: iban-in-text
  severity: block
"""
    kinds = ("iban",)
    what = "an IBAN"
