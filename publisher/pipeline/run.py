"""One run of a pipeline: load, validate, check, anonymise, re-check, stage,
publish, record. Several pipelines run independently: one failing never stops
the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from publisher import limits
from publisher.cluster import passes_for
from publisher.errors import (
    EXIT_BLOCKED,
    EXIT_OK,
    EXIT_UNUSABLE,
    BlockedError,
    InputError,
    PublisherError,
    SpecError,
)
from publisher.memory import give_back
from publisher.package.loader import load_package
from publisher.package.model import Package
from publisher.package.staged import StagedFile
from publisher.pipeline.accept import Verdict, entries_to_add, groups, judge
from publisher.pipeline.audit import build_audit
from publisher.pipeline.audit_html import render_audit
from publisher.pipeline.descriptor import build_descriptor, strip_raw_texts
from publisher.pipeline.journal import Journal, new_run_id
from publisher.pipeline.spec import load_spec
from publisher.pipeline.staging import STAGING, content_hash, run_dir, stage
from publisher.pipeline.steward_accept import steward_acceptances
from publisher.progress import NO_PROGRESS, Progress, records
from publisher.report import Finding, Report
from publisher.rules.base import fix_hint, rules
from publisher.rules.policy import check_package
from publisher.settings import Settings
from publisher.steps.base import Step, StepContext, StepOutcome, run_steps
from publisher.targets import make_target
from publisher.targets.base import PublishRequest, PublishResult
from publisher.validate import validate_package

AUDIT_PAGE = "reports/audit.html"
AUDIT_JSON = "reports/audit.json"  # where targets put the `audit` report
STAGES = ("spec", "load", "validate", "check", "anonymise", "recheck", "stage", "conformance",
          "publish")

OnStage = Callable[[str], None]


class Status(StrEnum):
    PUBLISHED = "published"
    UNCHANGED = "unchanged"
    PLANNED = "planned"  # `publisher plan`: computed what publishing would change
    BLOCKED = "blocked"
    FAILED = "failed"


@dataclass
class RunResult:
    pipeline: str
    file: str
    run_id: str
    status: Status = Status.FAILED
    exit_code: int = EXIT_UNUSABLE
    message: str = ""
    stage: str = "spec"
    reports: dict[str, Report] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)
    publish: PublishResult | None = None
    plan: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    run_dir: str | None = None
    staging_removed: int = 0  # working directories of killed runs removed before this one
    acceptance: Verdict | None = None  # the re-check's warnings against `accept:`
    exception: BaseException | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "pipeline": self.pipeline, "file": self.file, "run_id": self.run_id,
            "status": str(self.status), "exit_code": self.exit_code, "message": self.message,
            "stage": self.stage, "error": self.error, "steps": self.steps,
            "publish": self.publish.to_dict() if self.publish else None,
            "plan": self.plan,
            "acceptance": self.acceptance.to_dict() if self.acceptance else None,
            "reports": {name: r.to_dict() for name, r in self.reports.items()},
            "run_dir": self.run_dir, "staging_removed": self.staging_removed,
        }


def run_pipeline(path: str | Path, settings: Settings,
                 on_stage: OnStage | None = None, *, plan_only: bool = False,
                 progress: Progress = NO_PROGRESS, source: str | Path | None = None,
                 saved_plan: dict[str, Any] | None = None) -> RunResult:
    """Run one pipeline; each stage is announced to `on_stage`, the measurable work
    of the stages (bytes validated, rows scanned, rows each step sees) reported to
    `progress`. SOURCE (a package directory, descriptor or zip, e.g. one a steward
    submitted) is run instead of the pipeline's own `source:`; everything else the
    pipeline names (policy, layer files, target path) stays relative to its file.
    SAVED_PLAN (the `plan` of a `publisher plan` run report): publish only if the
    target's plan now is the same, else fail with StalePlanError."""
    result = RunResult(pipeline=Path(path).stem, file=str(path), run_id=new_run_id(Path(path).stem))
    journal = Journal(settings.runs_dir / result.run_id)
    result.run_dir = str(journal.run_dir)

    def enter(stage_name: str) -> None:
        give_back()  # what the stage before let go: not under this one's peak
        result.stage = stage_name
        journal.event("stage", stage=stage_name)
        if on_stage:
            on_stage(stage_name)

    try:
        with limits.applied(settings.limits()):
            _run(path, settings, result, enter, journal, plan_only, progress, source,
                 saved_plan)
    except BlockedError as exc:
        result.status, result.exit_code, result.message = Status.BLOCKED, EXIT_BLOCKED, str(exc)
        result.error = exc.to_dict()
    except PublisherError as exc:
        result.status, result.exit_code, result.message = Status.FAILED, exc.exit_code, str(exc)
        result.error = exc.to_dict()
    except Exception as exc:  # a bug: say where, but no message (it may hold data values)
        result.status, result.exit_code = Status.FAILED, EXIT_UNUSABLE
        result.message = (f"internal error during '{result.stage}' ({type(exc).__name__}); "
                          "run again with --debug to see the traceback")
        result.error = {"error": type(exc).__name__, "stage": result.stage}
        result.exception = exc
    journal.event("end", status=str(result.status), exit_code=result.exit_code,
                  reports={n: r.summary() for n, r in result.reports.items()})
    journal.write_report(result.to_dict())
    return result


def _run(path: str | Path, settings: Settings, result: RunResult, enter: OnStage,
         journal: Journal, plan_only: bool, progress: Progress,
         source: str | Path | None, saved_plan: dict[str, Any] | None = None) -> None:
    enter("spec")
    spec = load_spec(path)
    result.pipeline = spec.name
    policy = spec.load_policy()
    steps = spec.build_steps()
    target = make_target(spec.target, settings, spec.base)

    # the run's working directory (a zip or remote package unpacked, raw; the staged
    # output): under the home, 0700, removed by the next run if this one is killed
    with run_dir(settings.home / STAGING) as work:
        result.staging_removed = work.stale_removed
        journal.event("staging", stale_removed=work.stale_removed)
        enter("load")
        if source is not None:
            journal.event("source", path=str(source))  # not the pipeline's own
        package = load_package(str(source) if source is not None else spec.source_path(),
                               allow_remote=spec.allow_remote,
                               workdir=work.path / "source",
                               remote_hosts=[*settings.remote_hosts,
                                             *spec.remote_hosts])
        journal.event("loaded", resources=[r.name for r in package.resources])
        package.dataset = dict(spec.dataset)  # its texts are checked like the descriptor's

        enter("validate")
        elsewhere = passes_for(settings.cluster)
        validation = result.reports["validate"] = validate_package(
            package, progress=progress, ranges=elsewhere.validate_ranges,
            sets=elsewhere.validate_set)
        if not validation.valid:
            raise BlockedError(_blocking_message("the package does not validate", validation),
                               where=package.source)

        enter("check")
        result.reports["check"] = check_package(policy, package, stage="check",
                                                progress=progress,
                                                passes=elsewhere)
        for resource in package.resources:  # the column views validate and check read
            resource.views.clear()

        enter("anonymise")
        anonymised = package.copy()
        strip_raw_texts(anonymised, spec.texts.carry_over)
        secret = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
        context = StepContext(base=spec.base, secret=secret, passes=elsewhere,
                              workdir=work.path / "steps")

        def started(number: int, step: Step[Any]) -> None:
            progress.start(f"anonymise: {step.type} ({number} of {len(steps)})",
                           _rows(anonymised, step), "rows")

        def done(step: Step[Any], outcome: StepOutcome) -> None:
            result.steps.append({"type": step.type, "params": step.params.model_dump(),
                                 "stats": outcome.stats, "notes": outcome.notes})
            journal.event("step", type=step.type, stats=outcome.stats)

        # consecutive row-wise steps share one pass over the records (steps._stream)
        run_steps(steps, anonymised, context, on_start=started,
                  on_ran=lambda number, step: progress.finish(), on_outcome=done)

        enter("recheck")
        recheck = result.reports["recheck"] = check_package(policy, anonymised, stage="recheck",
                                                            progress=progress, passes=elsewhere)
        verdict = result.acceptance = judge(recheck, spec.accept,
                                            steward_acceptances(settings, spec.name))
        recheck.notes.extend(verdict.notes)
        journal.event("accept", accepted=len(verdict.accepted),
                      unaccepted=len(verdict.unaccepted), notes=verdict.notes)
        if not recheck.valid:
            raise BlockedError("\n".join([_blocking_message(
                "after anonymisation the policy still blocks publication", recheck),
                *(f"  note: {note}" for note in verdict.refused)]))
        if verdict.blocks:
            raise BlockedError(_unaccepted_message(verdict))

        enter("stage")
        staged_dir = work.path / "staged"
        build_descriptor(spec, package, anonymised, policy=policy, steps=steps,
                         audit={"html": AUDIT_PAGE, "json": AUDIT_JSON})
        files = stage(anonymised, staged_dir, elsewhere)
        output = result.reports["output"] = validate_package(
            load_package(staged_dir), progress=progress, ranges=elsewhere.validate_ranges,
            sets=elsewhere.validate_set)
        if not output.valid:
            raise BlockedError(_blocking_message(
                "the anonymised output does not validate", output))

        enter("conformance")
        # rdflib and the shapes load only when a run gets this far
        from publisher.conformance.stage import check_publication
        from publisher.conformance.stage import verdict as conformance_verdict

        metadata = dict(spec.dataset)
        # The content hash covers the data and metadata only: the audit page carries
        # the run's id and time, so it travels beside the data like the reports.
        fingerprint = content_hash(files, metadata)
        conformance = result.reports["conformance"] = check_publication(
            target, spec.target, PublishRequest(
                dataset=spec.dataset["name"], metadata=metadata, staged_dir=staged_dir,
                files=files, reports={}, content_hash=fingerprint), settings)
        if not conformance.valid:
            raise BlockedError(_blocking_message(conformance_verdict(conformance), conformance))

        enter("publish")
        audit = build_audit(spec=spec, policy=policy, source=package, published=anonymised,
                            steps=steps, records=result.steps, reports=result.reports,
                            step_inputs=context.inputs, run_id=result.run_id,
                            acceptance=verdict)
        reports = {**_published_reports(result), "audit": audit}
        files = [*files, _write_page(staged_dir, render_audit(audit))]
        request = PublishRequest(
            dataset=spec.dataset["name"], metadata=metadata, staged_dir=staged_dir, files=files,
            reports=reports, content_hash=fingerprint, conformance=conformance)
        if plan_only:
            result.plan = target.plan(request).to_dict()
        else:
            if saved_plan is not None:
                _check_plan(saved_plan, target.plan(request).to_dict())
            result.publish = target.publish(request)
            journal.event("audit", page=AUDIT_PAGE, k=audit["k"],
                          suppression=audit["suppression"])

    result.exit_code = EXIT_OK
    if result.plan is not None:
        result.status, result.message = Status.PLANNED, str(result.plan["summary"])
    else:
        assert result.publish is not None
        result.status = Status.PUBLISHED if result.publish.changed else Status.UNCHANGED
        result.message = result.publish.message
    if result.staging_removed:
        result.message += (f"; removed {result.staging_removed} staging director"
                           f"{'y' if result.staging_removed == 1 else 'ies'} of killed runs")


def _rows(package: Package, step: Step[Any]) -> Callable[[], int | None]:
    """The rows of the resources a step sees, for a total: counted as
    publisher.progress.records counts them, never by reading a table the run's steps
    stream; None where a resource cannot be counted so."""

    def count() -> int | None:
        try:
            selected = package.select(step.params.resource)
        except InputError:  # the step itself says so
            return None
        counts = [records(r)() for r in selected]
        return None if any(c is None for c in counts) else sum(c for c in counts if c)

    return count


class StalePlanError(InputError):
    """What publishing would change is no longer what the saved plan says."""


def _check_plan(saved: dict[str, Any], now: dict[str, Any]) -> None:
    if saved == now:
        return
    differ = sorted(k for k in saved.keys() | now.keys() if saved.get(k) != now.get(k))
    raise StalePlanError(
        f"the saved plan is out of date ({', '.join(differ)} differ): it said "
        f"'{saved.get('summary')}', publishing now would {now.get('summary')!r}",
        where=f"dataset {now.get('dataset')}",
        hint="run `publisher plan` again, read the new plan, and publish that one")


def _published_reports(result: RunResult) -> dict[str, dict[str, Any]]:
    """What is published beside the data: full reports of the anonymised output,
    and only counts (no samples, not even masked ones, and no stats such as
    extents) of what was found in the raw package."""
    reports = {name: result.reports[name].to_dict()
               for name in ("recheck", "output", "conformance")}
    reports["validate-summary"] = result.reports["validate"].summary()
    reports["check-summary"] = result.reports["check"].summary()
    reports["steps"] = {"steps": result.steps}
    return reports


def _write_page(staged_dir: Path, html: str) -> StagedFile:
    path = staged_dir / AUDIT_PAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    data = html.encode("utf-8")
    path.write_bytes(data)
    return StagedFile(path=AUDIT_PAGE, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))


def _fixing_step(f: Finding) -> str | None:
    """The finding's hint, else the steps its rule declares as fixes (none for a
    finding of validation, which no step fixes)."""
    if f.hint:
        return f.hint
    if f.type not in rules.types():
        return None
    return fix_hint("", rules.get(f.type).fixes) or None


def _blocking_message(lead: str, report: Report, limit: int = 8) -> str:
    """One line per rule and place (resource, field), with its count: a rule
    with many findings in one column never hides another rule or column."""
    blocking = report.blocking
    grouped = list(groups(blocking).values())
    total = sum(f.occurrences for f in blocking)
    lines = [f"{lead}: {total} blocking finding(s) at {len(grouped)} place(s)"]
    for items in grouped[:limit]:
        count = sum(f.occurrences for f in items)
        more = f" ({count} findings)" if count > 1 else ""
        lines.append(f"  - {_describe(items[0], with_row=count == 1)}{more}")
    if len(grouped) > limit:
        lines.append(f"  ... and {len(grouped) - limit} more places (see the run report)")
    return "\n".join(lines)


def _unaccepted_message(verdict: Verdict, limit: int = 5) -> str:
    grouped = list(groups(verdict.unaccepted).values())
    lines = [f"after anonymisation {len(verdict.unaccepted)} warning(s) remain that the "
             "pipeline does not accept:"]
    for items in grouped[:limit]:
        more = f" ({len(items)} findings)" if len(items) > 1 else ""
        lines.append(f"  - {_describe(items[0], with_row=len(items) == 1)}{more}")
    if len(grouped) > limit:
        lines.append(f"  ... and {len(grouped) - limit} more places (see the run report)")
    lines += [f"  note: {note}" for note in verdict.notes]
    lines.append("fix them; or, where publishing with a warning is right, accept it in the "
                 "pipeline with its reason:")
    lines += [f"  {line}" for line in entries_to_add(verdict.unaccepted).splitlines()]
    return "\n".join(lines)


def _describe(f: Finding, *, with_row: bool = True) -> str:
    where = f.where if with_row or f.row is None else \
        Finding(f.type, f.message, resource=f.resource, field=f.field).where
    text = f"{f.type} at {where}: {f.message}"
    fix = _fixing_step(f)
    return f"{text} (fix: {fix})" if fix else text


def run_many(paths: Iterable[str | Path], settings: Settings,
             on_stage: Callable[[str, str], None] | None = None, *,
             plan_only: bool = False, progress: Progress = NO_PROGRESS) -> list[RunResult]:
    """Each pipeline run on its own; pipelines of the batch that would publish
    one dataset (the same target) are all refused before any of them runs: the
    later would silently replace the earlier."""
    paths = list(paths)
    clashes = _clashes(paths, settings)
    results = []
    for path in paths:
        if str(path) in clashes:
            results.append(clashes[str(path)])
            continue
        callback = (lambda s, p=str(path): on_stage(p, s)) if on_stage else None
        results.append(run_pipeline(path, settings, callback, plan_only=plan_only,
                                    progress=progress))
    return results


def _clashes(paths: list[str | Path], settings: Settings) -> dict[str, RunResult]:
    """A refusal for every pipeline that shares its dataset and target with
    another of the batch (a spec that cannot be read fails in its own run)."""
    by_target: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for path in paths:
        try:
            spec = load_spec(path)
        except PublisherError:
            continue
        kind = str(spec.target.get("type", "local"))
        where = spec.target.get("path") if kind == "local" else None
        place = str((spec.base / str(where)).resolve()) if where else ""
        key = (kind, place, str(spec.dataset["name"]))
        by_target.setdefault(key, []).append((str(path), spec.name))
    refused: dict[str, RunResult] = {}
    for (kind, _, dataset), found in by_target.items():
        if len(found) < 2:
            continue
        files = ", ".join(Path(p).name for p, _ in found)
        for path, name in found:
            message = (f"pipelines {files} all publish the dataset '{dataset}' to the {kind} "
                       "target; one batch may publish a dataset once (nothing of them was "
                       "run)")
            error = SpecError(message, where=path, hint="run them one after the other, or "
                                                        "give each its own dataset name")
            refused[path] = RunResult(pipeline=name, file=path, run_id=new_run_id(name),
                                      message=str(error), error=error.to_dict())
    return refused
