"""street-address-in-text: street and house number in text cells (RULES.md section 1).

A word ending in -straße/-strasse/-str./-weg/-gasse/-platz/-allee/-ring/-damm
and a house number ("Hauptstraße 12a", "Berliner Straße 5"); nouns such as
Parkplatz or Radweg, and lengths ("20 m"), are not addresses.
"""

from __future__ import annotations

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules


@rules.register
class StreetAddressInText(IdentifierRule[IdentifierParams]):
    type = "street-address-in-text"
    example = """\
- id: street-address-in-text
  type: street-address-in-text
  severity: warn
"""
    kinds = ("street-address",)
    what = "a street address"
