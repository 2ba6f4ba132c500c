"""truncate-datetime: dates and times cut to a coarser unit (RULES.md section 3:
exact timestamps are quasi-identifiers; cut them to the day or the hour).

'2024-05-07T14:23:16Z' becomes '2024-05-07T14:00:00Z' (hour), '2024-05-07'
(day), '2024-05' (month) or '2024' (year); the field type follows (datetime,
date, yearmonth, year).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from publisher.package.model import Package
from publisher.params import THRESHOLD
from publisher.steps._derived import columns_by_resource, retype_field
from publisher.steps._generalise import DATETIME_TYPES, DatetimeUnit, truncate_datetime
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class TruncateDatetimeParams(StepParams):
    columns: list[str] = Field(min_length=1, description="The date or datetime columns.")
    unit: Annotated[DatetimeUnit, THRESHOLD] = Field(
        "day", description="The unit values are cut to.")


@steps.register
class TruncateDatetime(Step[TruncateDatetimeParams]):
    type = "truncate-datetime"
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
            table = resource.table().copy()
            for column in columns:
                table[column] = truncate_datetime(table[column], unit, column=column,
                                                  where=resource.name)
                retype_field(resource, column, DATETIME_TYPES[unit], f"cut to the {unit}")
                outcome.stats["generalisation"][f"{resource.name}.{column}"] = f"{unit}"
            resource.data = table
        return outcome
