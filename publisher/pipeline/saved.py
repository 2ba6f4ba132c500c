"""`publisher publish`: apply saved plans. A plan is saved in the run report of
`publisher plan` (its `plan`, and the pipeline file it was made from); publishing
it runs that pipeline again and publishes only if the target's plan is still the
same (publisher.pipeline.run, `saved_plan`)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from publisher.errors import InputError, PublisherError
from publisher.pipeline.journal import RUN_REPORT, new_run_id
from publisher.pipeline.run import RunResult, run_pipeline
from publisher.progress import NO_PROGRESS, Progress
from publisher.settings import Settings

_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def saved_plan(ref: str, settings: Settings) -> tuple[Path, dict[str, Any]]:
    """The pipeline file and the plan of REF: a run report's path, its run
    directory, or a run id in the home's runs."""
    given = Path(ref)
    if given.suffix.lower() in (".yaml", ".yml"):
        raise InputError("publish applies a saved plan, not a pipeline", where=ref,
                         hint="run the pipeline with `publisher run`, or give the run report "
                              "(or run id) that `publisher plan` printed")
    if given.is_file():
        path = given
    elif given.is_dir():
        path = given / RUN_REPORT
    else:  # a run id: a name in the runs directory, never a way out of it
        path = settings.runs_dir / (ref if _RUN_ID.fullmatch(ref) else "-") / RUN_REPORT
    hint = "give the run report (or run id) that `publisher plan` printed"
    if not path.is_file():
        raise InputError("no such run report", where=ref, hint=hint)
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the run report ({type(exc).__name__})",
                         where=str(path)) from None
    plan = report.get("plan") if isinstance(report, dict) else None
    if not isinstance(plan, dict) or not isinstance(report.get("file"), str):
        raise InputError("the run report holds no plan (it is not from `publisher plan`, or "
                         "that run failed)", where=str(path), hint=hint)
    return Path(report["file"]), plan


def publish_saved(refs: Iterable[str], settings: Settings,
                  on_stage: Callable[[str, str], None] | None = None, *,
                  progress: Progress = NO_PROGRESS) -> list[RunResult]:
    """Each saved plan applied on its own; one failing never stops the others."""
    results = []
    for ref in refs:
        try:
            pipeline, plan = saved_plan(ref, settings)
        except PublisherError as exc:
            name = Path(ref).stem
            results.append(RunResult(pipeline=name, file=ref, run_id=new_run_id(name),
                                     message=str(exc), error=exc.to_dict()))
            continue
        callback = (lambda s, r=ref: on_stage(r, s)) if on_stage else None
        results.append(run_pipeline(pipeline, settings, callback, progress=progress,
                                    saved_plan=plan))
    return results
