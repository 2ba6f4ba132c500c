"""Where the passes over a resource's rows run, for the stages, rules and steps
that can hand them elsewhere: the validation engine's checks of a CSV file's
records (validate_package), the identifier scan (check_package), the class counts of
k-anonymity and residual uniqueness, the dominance rule's sums and
grid-aggregate's counts, the combinations k-anonymise enforces k over.

`Passes` runs them in this process: each method answers "not done here" (None,
or no resource), and the rule or step makes its own pass. publisher.cluster
implements it for a Dask scheduler's address (publisher.cluster.passes), and
the callers that know the settings (publisher.pipeline.run, the CLI's `check`)
build it there (publisher.cluster.passes_for) and hand it in: check_package's
`passes`, StepContext.passes. So rules and steps never import the cluster.

An answer given elsewhere must be the one the caller's own pass would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    import pandas as pd

    from publisher.package.model import Package, Resource
    from publisher.package.writer import WrittenCsv
    from publisher.progress import Progress
    from publisher.rules._quasi import ClassSummary
    from publisher.rules.dominance import ValueTable
    from publisher.steps.grid_aggregate import GridAggregateParams, GridCounts
    from publisher.steps.rowpass import Pass
    from publisher.validate.engine.plan import Plan
    from publisher.validate.engine.resource import BlockResult, Tap
    from publisher.validate.schema import SetResult


@dataclass(frozen=True)
class Combinations:
    """The distinct combinations of some columns' values (text, as read) among a
    resource's records, in order of first appearance (Passes.combinations:
    counted on a cluster's workers): the values, one Arrow column per
    column and a row per combination; each one's records, and its first record's
    row number."""

    values: pa.Table
    records: np.ndarray
    first: np.ndarray


class Passes:
    """In this process: nothing is done elsewhere."""

    def validate_ranges(self, plan: Plan, wanted: set[str], limit: int, progress: Progress,
                        tap: Tap | None) -> list[BlockResult] | None:
        """The validation engine's results for the blocks of the plan's CSV file, in
        file order, the tap run on each (publisher.validate.engine.resource.check_piece);
        None: check them here."""
        return None

    def validate_set(self, resource: Resource, schema: dict[str, Any], limit: int
                     ) -> SetResult | None:
        """The records of a GeoParquet set (resource.dataset) validated against the
        schema's descriptor, as one frictionless pass over them would
        (publisher.validate.schema.validate_piece); None: validate them here."""
        return None

    def prescan(self, package: Package, progress: Progress) -> list[str]:
        """Scan the package's resources as loaded for identifiers and hand the scans
        to the rules (publisher.rules._identifiers.remember_scan); the names of the
        resources scanned."""
        return []

    def class_sizes(self, resource: Resource, columns: list[str]) -> pd.Series | None:
        """Records per combination of the columns' values, in order of first appearance
        (publisher.rules._quasi.class_sizes); None: count them here."""
        return None

    def dominated(self, resource: Resource, spec: ValueTable, top: int, share: float
                  ) -> pd.Series | None:
        """The dominated cells of a value table and their shares
        (publisher.rules.dominance.dominated_shares); None: sum them here."""
        return None

    def grid_counts(self, resource: Resource, params: GridAggregateParams
                    ) -> GridCounts | None:
        """grid-aggregate's summed counts of the resource's points
        (publisher.steps.grid_aggregate.merge_counts); None: count them here."""
        return None

    def rewrite_ranges(self, job: Pass) -> list[str] | None:
        """The records of job.source through the job's changes, written to job.path
        as publisher.steps._stream.write_records writes them in one pass (the same
        bytes), the job's tallies merged; the columns written. None: nothing was
        written or counted, the pass runs here."""
        return None

    def write_ranges(self, resource: Resource, order: list[str], path: Path
                     ) -> WrittenCsv | None:
        """Staging's write of a CSV resource whose records are a file: the records
        written to PATH as publisher.package.writer.write_csv_records writes them in
        one pass (the same bytes; quoted throughout if a text cell holds a carriage
        return), the columns in ORDER first; what it gives, the first part's types
        only (no record). None: nothing was written, the writer writes here."""
        return None

    def combinations(self, resource: Resource, columns: list[str]) -> Combinations | None:
        """The distinct combinations of the columns' values (text, as read) among the
        resource's records, in order of first appearance, for k-anonymise
        (publisher.steps._coded.of_combinations): their values, each one's number of
        records and its first record's row number. None: k-anonymise reads every
        record's values here."""
        return None

    def first_records(self, resource: Resource, columns: list[str],
                      marks: Callable[[pd.DataFrame], np.ndarray], count: int
                      ) -> np.ndarray | None:
        """The row numbers of the first COUNT records (in file order) that MARKS
        marks, given a frame of the columns' text cells (k-anonymise's records a
        donor class gives up, publisher.steps._kanon.ByValues); None: not found
        elsewhere."""
        return None

    def class_summary(self, resource: Resource, columns: list[str], k: int
                      ) -> ClassSummary | None:
        """The summary of the records per combination of the columns' values, given
        k (publisher.rules._quasi.summarise); None: count them here."""
        return None


IN_PROCESS = Passes()
