"""coordinates-in-text: exact positions written as text, in any column (issue 24).

coordinate-columns finds a pair of columns that hold latitude and longitude;
a position can as well be written into one text cell ("51.3379712 12.3816943",
"51.3379712, 12.3816943"), in a column whose name says nothing of it. Such a
pair, each number with 5 or more decimal places (about a metre or finer), inside
the extent looked at, in either order, is an exact position
(publisher.rules._positions). It reports at the rule's own severity whatever the
resource declares: a position in free text is evidence of its own (a reporter's
location, a home), and a `"personal": false` declaration does not lower it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import Field

from publisher.masking import mask
from publisher.package.model import Package, Resource
from publisher.report import Finding, Severity
from publisher.rules._extent import ExtentParam
from publisher.rules._positions import MIN_DECIMALS, PositionsPass, resource_positions
from publisher.rules._shared import BatchPass
from publisher.rules.base import Rule, RuleParams, rules


class CoordinatesInTextParams(RuleParams):
    extent: ExtentParam = Field(description="Where positions are looked for: [min lon, min "
                                            "lat, max lon, max lat] in degrees; default: "
                                            "Germany and Austria.")
    ignore: list[str] = Field(default_factory=list,
                              description="Columns never scanned for positions.")


@rules.register
class CoordinatesInText(Rule[CoordinatesInTextParams]):
    type = "coordinates-in-text"
    example = """\
- id: coordinates-in-text
  type: coordinates-in-text
  severity: block
  params:
    extent: [5.8, 46.3, 17.2, 55.1]
"""
    default_severity = Severity.BLOCK
    fixes = ("drop-columns", "reduce-precision", "grid-aggregate")
    fix_how = ("remove the positions, or move them into the resource's geometry and "
               "coarsen it")

    def batch_passes(self, resource: Resource) -> list[BatchPass[Any]]:
        return [PositionsPass(self._extent(), frozenset(self.params.ignore))]

    def _extent(self) -> tuple[float, float, float, float]:
        extent = self.params.extent
        return (extent[0], extent[1], extent[2], extent[3])

    def check(self, package: Package) -> Iterable[Finding]:
        params = self.params
        extent = self._extent()
        counts: dict[str, int] = {}
        for resource in package.resources:
            found = resource_positions(resource, extent, frozenset(params.ignore))
            for column, positions in found.items():
                counts[f"{resource.name}.{column}"] = positions.count
                yield self.finding(
                    f"column '{column}' holds {positions.count} exact position"
                    f"{'' if positions.count == 1 else 's'} written as text (latitude and "
                    f"longitude with {MIN_DECIMALS} or more decimal places, about a metre or "
                    "finer)", resource=resource.name, field=column,
                    row=positions.rows[0] if positions.rows else None,
                    sample=mask(positions.first) if positions.first else None,
                    count=positions.count)
        self.stats = {"by_field": counts}
