"""band-numbers: numbers become bands (age 37 -> '35-39'; RULES.md section 3: age
in 5-year bands).

Integer values in integer bands read `lo-hi`; other values `lo-<hi`. Values at
or above `top` share one open band ('90+'). The field becomes a string.
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from pydantic import Field

from publisher.package.model import Package
from publisher.params import THRESHOLD
from publisher.steps._derived import columns_by_resource, retype_field
from publisher.steps._generalise import band, integral_values
from publisher.steps._stream import rewrite, settle, values_of
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class BandNumbersParams(StepParams):
    columns: list[str] = Field(min_length=1, description="The numeric columns to band.")
    width: Annotated[float, THRESHOLD] = Field(
        gt=0, description="Width of each band, e.g. 5 for 5-year age bands.")
    origin: float = Field(0.0, description="Where the bands start: bands are origin + n * width.")
    top: float | None = Field(None, description="Values at or above it share one open band "
                                                "('90+'); default: no open band.")


@steps.register
class BandNumbers(Step[BandNumbersParams]):
    type = "band-numbers"
    row_wise = True
    example = """\
- type: band-numbers
  resource: residents
  columns: [alter]
  width: 5
  top: 90
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        outcome = StepOutcome(stats={"generalisation": {}})
        for resource, columns in columns_by_resource(package, p.resource, p.columns, self.type):
            # whether a column's bands read lo-hi depends on all its values: found first,
            # after the changes queued on the resource
            settle(self.context, resource)
            integral = {c: integral_values(values_of(resource, c), p.width, p.origin, c,
                                           resource.name) for c in columns}

            def change(frame: pd.DataFrame, columns: list[str] = columns,
                       integral: dict[str, bool] = integral,
                       where: str = resource.name) -> pd.DataFrame:
                out = frame.copy()
                for column in columns:
                    out[column] = band(out[column], p.width, origin=p.origin, top=p.top,
                                       column=column, where=where, integral=integral[column])
                return out

            rewrite(resource, change, self.context, geometry=False)
            for column in columns:
                retype_field(resource, column, "string", f"in bands of {p.width:g}")
                outcome.stats["generalisation"][f"{resource.name}.{column}"] = \
                    f"bands of {p.width:g}"
        return outcome
