"""k-anonymise: every record shares its quasi-identifier values with at least
k - 1 others (RULES.md section 3: default k = 5 for record-level data).

Each quasi-identifier names a hierarchy (band widths, date units, postcode
digits, or plain suppression). The step raises one level at a time, always the
one that leaves the fewest records in classes below k, until at most
`max_suppression` of the records are left; those records' quasi-identifier
cells are then suppressed locally ('*'). When k cannot be reached within the
budget the run stops (`on_failure: block`), or the step suppresses beyond the
budget and says so (`on_failure: suppress`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal, Protocol

import numpy as np
import pandas as pd
from pydantic import Field

from publisher.anonymity import measure_k
from publisher.errors import BlockedError, InputError
from publisher.package.frames import file_columns
from publisher.package.model import Package, Resource
from publisher.params import THRESHOLD
from publisher.steps._coded import of_combinations, of_file
from publisher.steps._derived import columns_by_resource, retype_field
from publisher.steps._generalise import Hierarchy
from publisher.steps._kanon import (
    ByValues,
    KResult,
    enforce_coded,
    enforce_k,
    measured_k,
    published_by_values,
)
from publisher.steps._stream import rewrite, settle
from publisher.steps.base import Step, StepOutcome, StepParams, steps


class KAnonymiseParams(StepParams):
    quasi_identifiers: list[Hierarchy] = Field(
        min_length=1, description="The quasi-identifier columns, each with how it is "
                                  "generalised level by level.")
    k: Annotated[int, THRESHOLD] = Field(
        5, ge=2, description="Every record shares its quasi-identifier values with "
                             "at least k - 1 others.")
    max_suppression: Annotated[float, THRESHOLD] = Field(0.05, ge=0, le=1,
                                   description="Share of records whose quasi-identifiers may "
                                               "be suppressed ('*') to reach k.")
    on_failure: Literal["block", "suppress"] = Field(
        "block", description="When k cannot be reached within max_suppression: stop the run "
                             "(block), or suppress beyond it and say so (suppress).")


@steps.register
class KAnonymise(Step[KAnonymiseParams]):
    type = "k-anonymise"
    example = """\
- type: k-anonymise
  resource: residents
  k: 5
  max_suppression: 0.05
  quasi_identifiers:
    - {column: alter, kind: band, levels: [5, 10, 20]}
    - {column: plz, kind: postcode, levels: [4, 3]}
    - {column: geschlecht}
"""

    def apply(self, package: Package) -> StepOutcome:
        p = self.params
        columns = [h.column for h in p.quasi_identifiers]
        outcome = StepOutcome(stats={"k_asked": p.k, "max_suppression": p.max_suppression,
                                     "rows_suppressed": 0, "cells_suppressed": 0,
                                     "generalisation": {}, "resources": {}})
        for resource, present in columns_by_resource(package, p.resource, columns, self.type):
            if len(present) < len(columns):
                missing = ", ".join(c for c in columns if c not in present)
                outcome.notes.append(f"{resource.name}: skipped, lacks {missing}")
                continue
            settle(self.context, resource)  # the changes queued on it before it is read
            streamed = self.context.workdir is not None and file_columns(resource) is not None
            table = None if streamed else resource.table()
            if table is None:
                before, result, publish = self._enforce_streamed(resource, columns)
            else:
                before = measure_k(table, columns)
                table, result = enforce_k(table, p.quasi_identifiers, p.k, p.max_suppression,
                                          where=resource.name)
            records = result.records
            figures = {"records": records, "k_before": before,
                       "k_reached": result.k_reached, "reached": result.reached,
                       "rows_touched": result.rows_touched,
                       "cells_suppressed": result.cells_suppressed,
                       "levels": {h.column: h.label(result.levels[h.column])
                                  for h in p.quasi_identifiers}}
            if result.k_reached < p.k or (not result.reached and p.on_failure == "block"):
                raise BlockedError(
                    f"k-anonymise: k = {p.k} not reached for resource '{resource.name}' "
                    f"(k = {result.k_reached} with {result.rows_touched} of {records} "
                    f"records suppressed; {'; '.join(result.notes)})", where=resource.name,
                    hint="add coarser levels to the hierarchies, declare fewer "
                         "quasi-identifiers, raise max_suppression, or aggregate")
            outcome.notes.extend(f"{resource.name}: {n}" for n in result.notes)
            if table is None:  # the other columns streamed through beside the generalised ones
                self._publish(resource, publish)
            else:
                resource.data = table
            for h in p.quasi_identifiers:
                level = result.levels[h.column]
                outcome.stats["generalisation"][f"{resource.name}.{h.column}"] = h.label(level)
                if level or result.rows_touched:
                    retype_field(resource, h.column, "string",
                                 f"generalised for {p.k}-anonymity: {h.label(level)}; "
                                 "'*' = suppressed")
            outcome.stats["resources"][resource.name] = figures
            outcome.stats["rows_suppressed"] += result.rows_touched
            outcome.stats["cells_suppressed"] += result.cells_suppressed
            outcome.stats["k_reached"] = min(outcome.stats.get("k_reached", result.k_reached),
                                             result.k_reached)
        return outcome

    def _enforce_streamed(self, resource: Resource, columns: list[str]
                          ) -> tuple[int, KResult, Published]:
        """k before, and enforced, over the records of a resource not in memory: from
        the distinct combinations of their values where the context's passes count
        them (on a cluster: on its workers, publisher.cluster.quasi), else from every
        record's codes read here; and how a frame's records are published."""
        p = self.params
        passes = self.context.passes
        unique = list(dict.fromkeys(columns))
        counted = passes.combinations(resource, unique)
        if counted is None:
            coded, rows = of_file(resource, unique)
            result = enforce_coded(coded, rows, p.quasi_identifiers, p.k, p.max_suppression,
                                   where=resource.name)
            return measured_k(coded), result, _Records(result, rows, unique)
        coded, rows, weights = of_combinations(counted, unique)

        def donors(marks: ByValues, count: int) -> np.ndarray:
            found = passes.first_records(resource, unique, marks, count)
            if found is None or len(found) < count:
                raise InputError(f"resource '{resource.name}': its records changed while "
                                 "k-anonymise read them", where=resource.name)
            return found

        result = enforce_coded(coded, rows, p.quasi_identifiers, p.k, p.max_suppression,
                               where=resource.name, weights=weights, donors=donors)
        return (measured_k(coded, weights), result,
                published_by_values(result, p.quasi_identifiers, coded, resource.name))

    def _publish(self, resource: Resource, publish: Published) -> None:
        """The generalised quasi-identifiers into the resource (PUBLISH: a frame's),
        its other columns streamed through beside them batch by batch."""

        def change(frame: pd.DataFrame) -> pd.DataFrame:
            out = frame.copy()
            for column, values in publish.published(frame).items():
                out[column] = values.to_numpy()
                out[column] = out[column].astype("string")
            return out

        rewrite(resource, change, self.context, geometry=False)


class Published(Protocol):
    """A frame's quasi-identifiers as published."""

    def published(self, frame: pd.DataFrame) -> dict[str, pd.Series]: ...


@dataclass(frozen=True)
class _Records:
    """Where the units are records: each found by its row number among ROWS."""

    result: KResult
    rows: np.ndarray
    columns: list[str]

    def published(self, frame: pd.DataFrame) -> dict[str, pd.Series]:
        positions = np.searchsorted(self.rows, frame.index.to_numpy())
        return {c: self.result.values(c, positions, frame[c]) for c in self.columns}
