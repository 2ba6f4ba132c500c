"""The passes over a resource's rows (publisher.passes) on the workers of the Dask
cluster at an address. The functions are looked up at call time, so a test that
replaces one (e.g. publisher.cluster.scan.prescan) sees every call."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from publisher.cluster import classes, dominance, grid, quasi, rows, scan, stage, validate
from publisher.package.model import Package, Resource
from publisher.package.writer import WrittenCsv
from publisher.passes import Combinations, Passes
from publisher.progress import Progress
from publisher.rules._quasi import ClassSummary
from publisher.rules.dominance import ValueTable
from publisher.steps.grid_aggregate import GridAggregateParams, GridCounts
from publisher.steps.rowpass import Pass
from publisher.validate.engine.plan import Plan
from publisher.validate.engine.resource import BlockResult, Tap
from publisher.validate.schema import SetResult


@dataclass(frozen=True)
class ClusterPasses(Passes):
    address: str  # the scheduler's, tcp://host:8786

    def validate_ranges(self, plan: Plan, wanted: set[str], limit: int, progress: Progress,
                        tap: Tap | None) -> list[BlockResult] | None:
        return validate.validate_ranges_on(plan, wanted, limit, progress, tap, self.address)

    def validate_set(self, resource: Resource, schema: dict[str, Any], limit: int
                     ) -> SetResult | None:
        return validate.validate_set_on(resource, schema, limit, self.address)

    def prescan(self, package: Package, progress: Progress) -> list[str]:
        return scan.prescan(package, self.address, progress)

    def class_sizes(self, resource: Resource, columns: list[str]) -> pd.Series | None:
        return quasi.class_sizes_on(resource, columns, self.address)

    def dominated(self, resource: Resource, spec: ValueTable, top: int, share: float
                  ) -> pd.Series | None:
        return dominance.dominated_on(resource, spec, top, share, self.address)

    def grid_counts(self, resource: Resource, params: GridAggregateParams
                    ) -> GridCounts | None:
        return grid.grid_counts(resource, params, self.address)

    def rewrite_ranges(self, job: Pass) -> list[str] | None:
        return rows.rewrite_ranges_on(job, self.address)

    def write_ranges(self, resource: Resource, order: list[str], path: Path
                     ) -> WrittenCsv | None:
        return stage.write_ranges_on(resource, order, path, self.address)

    def combinations(self, resource: Resource, columns: list[str]) -> Combinations | None:
        return quasi.combinations_on(resource, columns, self.address)

    def first_records(self, resource: Resource, columns: list[str],
                      marks: Callable[[pd.DataFrame], np.ndarray], count: int
                      ) -> np.ndarray | None:
        return quasi.first_records_on(resource, columns, marks, count, self.address)

    def class_summary(self, resource: Resource, columns: list[str], k: int
                      ) -> ClassSummary | None:
        return classes.class_summary_on(resource, columns, k, self.address)
