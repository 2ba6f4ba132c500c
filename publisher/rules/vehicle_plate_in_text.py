"""vehicle-plate-in-text: German and Austrian vehicle plates in text cells (RULES.md section 1).

German: district (1-3 letters), 1-2 letters, 1-4 digits, optional E or H
("B-AB 1234", "M AB 12E"); Austrian: district (1-2 letters), digits, letters
("W 12345 A", "GU-123 AB"). The district code must be on the official list
(publisher/detect/data/de-plates.txt, at-plates.txt), so "XQ-AB 123" is not a plate.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from publisher.rules._identifiers import IdentifierParams, IdentifierRule
from publisher.rules.base import rules

Country = Literal["de", "at"]


def _both() -> list[Country]:
    return ["de", "at"]


class VehiclePlateParams(IdentifierParams):
    countries: list[Country] = Field(default_factory=_both, min_length=1,
                                     description="Whose plates are looked for.")


@rules.register
class VehiclePlateInText(IdentifierRule[VehiclePlateParams]):
    type = "vehicle-plate-in-text"
    example = """\
- id: vehicle-plate-in-text
  type: vehicle-plate-in-text
  severity: block
  params:
    countries: [de, at]
"""
    kinds = ("de-plate", "at-plate")
    what = "a vehicle registration plate"

    def selected_kinds(self) -> tuple[str, ...]:
        return tuple(f"{c}-plate" for c in self.params.countries)
