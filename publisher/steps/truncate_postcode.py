"""truncate-postcode: postcodes keep their leading characters, the rest become
'x' ('04109' -> '041xx' with keep 3). German postcodes have 5 digits, Austrian 4;
the leading digits name the wider region, so cutting generalises upward.
"""

from __future__ import annotations

import functools
from typing import Annotated

import pandas as pd
from pydantic import Field

from publisher.package.model import Package
from publisher.params import THRESHOLD
from publisher.steps._derived import columns_by_resource, retype_field
from publisher.steps._generalise import truncate_postcode
from publisher.steps._stream import rewrite
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class TruncatePostcodeParams(StepParams):
    columns: list[str] = Field(min_length=1, description="The postcode columns.")
    keep: Annotated[int, THRESHOLD] = Field(
        3, ge=0, le=4, description="Leading characters kept; the rest become 'x'.")


@steps.register
class TruncatePostcode(Step[TruncatePostcodeParams]):
    type = "truncate-postcode"
    row_wise = True
    example = """\
- type: truncate-postcode
  resource: permits
  columns: [plz]
  keep: 3
"""

    def apply(self, package: Package) -> StepOutcome:
        keep = self.params.keep
        outcome = StepOutcome(stats={"generalisation": {}})
        for resource, columns in columns_by_resource(package, self.params.resource,
                                                     self.params.columns, self.type):
            rewrite(resource, functools.partial(_truncate, columns=columns, keep=keep),
                    self.context, geometry=False)
            for column in columns:
                retype_field(resource, column, "string", f"first {keep} characters kept")
                outcome.stats["generalisation"][f"{resource.name}.{column}"] = \
                    f"first {keep} characters"
        return outcome


def _truncate(frame: pd.DataFrame, *, columns: list[str], keep: int) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = truncate_postcode(out[column], keep)
    return out
