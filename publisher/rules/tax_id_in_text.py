"""de-tax-id-in-text: German tax ids (Steuer-ID) in text cells (RULES.md section 1).

Eleven digits, the first not 0; confirmed by ISO 7064 mod 11,10 and the
digit-repetition rule (stdnum.de.idnr): an 11-digit order number fails them.
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class TaxIdInText(IdentifierRule[IdentifierParams]):
    type = "de-tax-id-in-text"
    example = """\
- id: de-tax-id-in-text
  type: de-tax-id-in-text
  severity: block
"""
    kinds = ("de-tax-id",)
    what = "a German tax id (Steuer-ID)"
