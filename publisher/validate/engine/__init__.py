"""A columnar validation engine on Arrow, with frictionless's verdict.

`validate_csv_tables(package, prepared)` validates every CSV resource it can
handle exactly and says, for each one it cannot, why; those resources go to
frictionless (publisher.validate.schema), which stays the reference. Row
numbers, fields and error codes are frictionless's; every error is counted,
the first `limit` of each resource are listed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import frictionless as fl

from publisher.progress import NO_PROGRESS, Progress
from publisher.validate.engine.errors import Unsupported
from publisher.validate.engine.integrity import check_foreign_key
from publisher.validate.engine.plan import Plan, make_plan
from publisher.validate.engine.report import findings
from publisher.validate.engine.resource import Outcome, RangeChecker, Tap, run_resource
from publisher.validate.findings import findings_from_errors
from publisher.validate.result import CheckResult

__all__ = ["EngineRun", "Plan", "RangeChecker", "Tap", "Unsupported", "validate_csv_tables"]

CHECK = "table-schema"


@dataclass
class EngineRun:
    results: dict[str, CheckResult] = field(default_factory=dict)
    fallback: dict[str, str] = field(default_factory=dict)  # resource -> reason
    tapped: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)  # Outcome.tapped


def _plans(tables: Mapping[str, fl.Resource], run: EngineRun) -> dict[str, Plan]:
    plans: dict[str, Plan] = {}
    for name, tabular in tables.items():
        try:
            plans[name] = make_plan(tabular, name)
        except Unsupported as exc:
            run.fallback[name] = exc.reason
    _drop_orphans(plans, run)
    for plan in plans.values():
        for key in plan.foreign_keys:
            plans[key.resource].referenced |= set(key.reference)
    return plans


def _drop_orphans(plans: dict[str, Plan], run: EngineRun) -> None:
    """A foreign key needs its reference resource in the engine too."""
    changed = True
    while changed:
        changed = False
        for name, plan in list(plans.items()):
            for key in plan.foreign_keys:
                parent = plans.get(key.resource)
                known = {f.name for f in parent.fields} if parent else set()
                if parent is None or not set(key.reference) <= known:
                    run.fallback[name] = (f"a foreign key refers to resource '{key.resource}', "
                                          "which the engine does not read")
                    del plans[name]
                    changed = True
                    break


def _result(outcome: Outcome, limit: int) -> CheckResult:
    plan, log = outcome.plan, outcome.log
    result = CheckResult(notes=list(outcome.notes))
    result.findings.extend(findings_from_errors(plan.header_errors, resource=plan.name))
    listed = log.listed(functools.partial(findings, plan.name))[:limit]
    result.findings.extend(listed)
    total = log.total + len(plan.header_errors)
    result.stats = {"checks": [CHECK], "rows": outcome.rows, "errors": total,
                    "engine": "arrow", "fields": len(plan.schema.fields)}
    if log.total > len(listed):
        result.notes.append(f"resource '{plan.name}': {log.total} schema errors, "
                            f"only the first {len(listed)} are listed")
    return result


def validate_csv_tables(tables: Mapping[str, fl.Resource], limit: int,
                        progress: Progress = NO_PROGRESS,
                        taps: Mapping[str, Callable[[Plan], Tap | None]] | None = None,
                        ranges: RangeChecker | None = None) -> EngineRun:
    """Engine results for the frictionless resources it supports (by name);
    `taps` make, from a resource's plan, a tap to run on its blocks; the blocks
    are checked by `ranges` when it takes them (a cluster's workers)."""
    run = EngineRun()
    plans = _plans(tables, run)
    outcomes: dict[str, Outcome] = {}
    for name, plan in plans.items():
        make = (taps or {}).get(name)
        try:
            outcomes[name] = run_resource(plan, limit, progress,
                                          make(plan) if make is not None else None, ranges)
        except Unsupported as exc:
            run.fallback[name] = exc.reason
    survivors = {n: o.plan for n, o in outcomes.items()}
    _drop_orphans(survivors, run)
    for name in survivors:
        outcome = outcomes[name]
        try:
            for key in outcome.plan.foreign_keys:
                parent = outcomes[key.resource]
                assert outcome.keys is not None and parent.keys is not None
                check_foreign_key(outcome.keys, key.fields, parent.keys, key.reference,
                                  key.resource, outcome.log)
        except Unsupported as exc:
            run.fallback[name] = exc.reason
            continue
        run.results[name] = _result(outcome, limit)
        if outcome.tapped is not None:
            run.tapped[name] = outcome.tapped
    return run


def describe(run: EngineRun) -> dict[str, Any]:
    return {"engine": sorted(run.results), "frictionless": dict(sorted(run.fallback.items()))}
