"""at-svnr-in-text: Austrian social insurance numbers (SVNR) in text cells (RULES.md section 1).

Four digits (serial and check digit) and the birth date ddmmyy; confirmed by
the check digit (stdnum.at.vnr) and a day and month that can be a date.
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class SvnrInText(IdentifierRule[IdentifierParams]):
    type = "at-svnr-in-text"
    example = """\
- id: at-svnr-in-text
  type: at-svnr-in-text
  severity: block
"""
    kinds = ("at-svnr",)
    what = "an Austrian social insurance number"
