"""email-in-text: e-mail addresses in any text cell (RULES.md section 1).

What counts as an address (publisher.detect, kind "email"): local@domain.tld
with a dotted domain and an alphabetic top-level domain of 2+ letters, also
written with "(at)" / "[at]" and "(dot)" / "[dot]" / "(punkt)" as German web
pages do. Not flagged: "a @ b", "user@localhost", "name@intranet", "@stadt"
handles and "3@5.00".
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class EmailInText(IdentifierRule[IdentifierParams]):
    type = "email-in-text"
    example = """\
- id: email-in-text
  type: email-in-text
  severity: block
"""
    kinds = ("email",)
    what = "an e-mail address"
