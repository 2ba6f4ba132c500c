"""The seam of publisher.passes: check_package hands its `passes` to the scan and to
the rules that count, grid-aggregate asks StepContext.passes for its counts; an
answer given there is used, "not done here" (None) leaves the pass to the rule or
step, and the default runs everything in this process."""

from __future__ import annotations

from typing import Any

import pandas as pd

from publisher.cluster import passes_for
from publisher.cluster.passes import ClusterPasses
from publisher.package.loader import load_package
from publisher.package.model import Package, Resource
from publisher.passes import IN_PROCESS, Passes
from publisher.progress import Progress
from publisher.rules._quasi import ClassSummary
from publisher.rules.dominance import ValueTable
from publisher.rules.policy import check_package, load_policy
from publisher.steps.base import StepContext
from publisher.steps.grid_aggregate import (
    GridAggregate,
    GridAggregateParams,
    GridCounts,
    merge_counts,
)
from tests.conftest import ROOT

SAMPLE = ROOT / "pipelines" / "samples" / "defect-reports"
POLICY = ROOT / "tests" / "cases" / "cluster" / "counting-policy.yaml"
GRID = GridAggregateParams(resource="reports", min_count=3, merge_up=[1000])


class Recording(Passes):
    """Answers like the default, or with `answers`; records what it was asked."""

    def __init__(self, **answers: Any):
        self.calls: list[tuple[str, str]] = []
        self.answers = answers

    def prescan(self, package: Package, progress: Progress) -> list[str]:
        self.calls.append(("prescan", package.resources[0].name))
        return []

    def class_summary(self, resource: Resource, columns: list[str], k: int
                      ) -> ClassSummary | None:
        self.calls.append(("class_summary", resource.name))
        return self.answers.get("class_summary")

    def dominated(self, resource: Resource, spec: ValueTable, top: int, share: float
                  ) -> pd.Series | None:
        self.calls.append(("dominated", resource.name))
        return self.answers.get("dominated")

    def grid_counts(self, resource: Resource, params: GridAggregateParams
                    ) -> GridCounts | None:
        self.calls.append(("grid_counts", resource.name))
        return self.answers.get("grid_counts")


def test_check_package_asks_its_passes_and_counts_itself_when_they_decline() -> None:
    policy = load_policy(str(POLICY))
    alone = check_package(policy, load_package(str(SAMPLE)))
    passes = Recording()
    asked = check_package(policy, load_package(str(SAMPLE)), passes=passes)
    assert passes.calls == [("prescan", "reports"), ("class_summary", "reports"),
                            ("class_summary", "reports"), ("dominated", "reports"),
                            ("dominated", "reports")]
    assert asked.findings == alone.findings and asked.stats == alone.stats
    assert alone.stats["findings_per_rule"]["k-anonymity"] == 1


def test_the_counting_rules_take_the_answer_of_their_passes() -> None:
    policy = load_policy(str(POLICY))
    nothing = pd.Series(dtype="int64")
    no_class = ClassSummary(k=5, records=0, classes=0, smallest=0, unique=0, small_classes=0,
                            small_records=0, first_small=None)
    answered = check_package(policy, load_package(str(SAMPLE)),
                             passes=Recording(class_summary=no_class, dominated=nothing))
    # no small class, no dominated cell, no record: what the passes said
    (summary,) = answered.findings
    assert summary.rule == "residual-uniqueness" and "(0 of 0)" in summary.message


def test_grid_aggregate_asks_the_context_for_its_counts() -> None:
    alone = load_package(str(SAMPLE))
    figures = GridAggregate(GRID).run(alone, StepContext()).stats
    declining = Recording()
    package = load_package(str(SAMPLE))
    assert GridAggregate(GRID).run(package, StepContext(passes=declining)).stats == figures
    assert declining.calls == [("grid_counts", "reports")]
    assert figures["points_in"] > 0
    empty = Recording(grid_counts=merge_counts([], GRID))
    counted = GridAggregate(GRID).run(load_package(str(SAMPLE)), StepContext(passes=empty))
    assert counted.stats["points_in"] == 0  # the counts it was handed


def test_without_a_cluster_everything_runs_in_this_process() -> None:
    assert passes_for(None) is IN_PROCESS and passes_for("") is IN_PROCESS
    assert StepContext().passes is IN_PROCESS
    assert passes_for("tcp://10.0.0.5:8786") == ClusterPasses("tcp://10.0.0.5:8786")
