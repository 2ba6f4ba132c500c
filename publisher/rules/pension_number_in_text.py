"""de-pension-number-in-text: German pension insurance numbers in text cells (RULES.md section 1).

Area number, birth date ddmmyy, the letter of the birth name, serial and check
digit (e.g. 15 070649 C 10 3); confirmed by the check digit.
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class PensionNumberInText(IdentifierRule[IdentifierParams]):
    type = "de-pension-number-in-text"
    example = """\
- id: de-pension-number-in-text
  type: de-pension-number-in-text
  severity: block
"""
    kinds = ("de-pension-number",)
    what = "a German pension insurance number"
