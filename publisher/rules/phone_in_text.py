"""phone-in-text: phone numbers in text cells (RULES.md section 1).

German and Austrian numbers, international (+49, +43, 0049, 0043) and national
(0...) forms; each candidate must be a valid number of the DE or AT numbering
plan (phonenumbers), so an order number such as 0815-47 is not taken.
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class PhoneInText(IdentifierRule[IdentifierParams]):
    type = "phone-in-text"
    example = """\
- id: phone-in-text
  type: phone-in-text
  severity: block
"""
    kinds = ("phone",)
    what = "a phone number"
