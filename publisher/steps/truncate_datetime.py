"""truncate-datetime: dates and times cut to a coarser unit (RULES.md section 3:
exact timestamps are quasi-identifiers; cut them to the day or the hour).

'2024-05-07T14:23:16Z' becomes '2024-05-07T14:00:00Z' (hour), '2024-05-07'
(day), '2024-05' (month) or '2024' (year); the field type follows (datetime,
date, yearmonth, year).
"""

from __future__ import annotations

import functools
from typing import Annotated

import pandas as pd
from pydantic import Field

from publisher.errors import InputError
from publisher.package.model import Package, Resource
from publisher.params import THRESHOLD
from publisher.steps._derived import columns_by_resource, retype_field
from publisher.steps._generalise import (
    DATETIME_TYPES,
    DatetimeUnit,
    check_datetimes,
    truncate_datetime,
)
from publisher.steps._stream import rewrite, values_of
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class TruncateDatetimeParams(StepParams):
    columns: list[str] = Field(min_length=1, description="The date or datetime columns.")
    unit: Annotated[DatetimeUnit, THRESHOLD] = Field(
        "day", description="The unit values are cut to.")


@steps.register
class TruncateDatetime(Step[TruncateDatetimeParams]):
    type = "truncate-datetime"
    row_wise = True
    example = """\
- type: truncate-datetime
  resource: reports
  columns: [reported_at]
  unit: hour
"""

    def apply(self, package: Package) -> StepOutcome:
        unit = self.params.unit
        outcome = StepOutcome(stats={"generalisation": {}})
        for resource, columns in columns_by_resource(package, self.params.resource,
                                                     self.params.columns, self.type):
            rewrite(resource, functools.partial(_truncate, columns=columns, unit=unit,
                                                resource=resource), self.context,
                    geometry=False)
            for column in columns:
                retype_field(resource, column, DATETIME_TYPES[unit], f"cut to the {unit}")
                outcome.stats["generalisation"][f"{resource.name}.{column}"] = f"{unit}"
        return outcome


def _truncate(frame: pd.DataFrame, *, columns: list[str], unit: str,
              resource: Resource) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        try:
            out[column] = truncate_datetime(out[column], unit, column=column,
                                            where=resource.name)
        except InputError:  # in a batch of the records: say how many in the whole column
            check_datetimes(values_of(resource, column), column, resource.name)
            raise
    return out
