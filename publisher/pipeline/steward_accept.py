"""Warnings a steward accepted in the console, kept in the home beside the
catalogue (`<home>/accept/<pipeline>.yaml`), never written into the pipeline's
YAML: the pipeline stays as its authors wrote it, and `run_pipeline` judges
the re-check against both lists. Each entry names who decided, when and why;
the audit record carries them.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import yaml
from pydantic import ValidationError

from publisher.errors import SpecError
from publisher.pipeline.accept import Acceptance
from publisher.settings import Settings

FOLDER = "accept"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def acceptance_file(settings: Settings, pipeline: str) -> Path | None:
    """Where the steward's entries for PIPELINE (its `name:`) live; None for a
    name that cannot be a file name."""
    if not _NAME.match(pipeline) or ".." in pipeline:
        return None
    return settings.home / FOLDER / f"{pipeline}.yaml"


def steward_acceptances(settings: Settings, pipeline: str) -> list[Acceptance]:
    path = acceptance_file(settings, pipeline)
    if path is None or not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return [Acceptance.model_validate(e) for e in data.get("accept") or []]
    except (yaml.YAMLError, ValidationError, AttributeError, TypeError) as exc:
        raise SpecError(f"the steward's acceptances cannot be read ({type(exc).__name__})",
                        where=str(path), hint="fix or remove the file") from None


def accept(settings: Settings, pipeline: str, *, rule: str, resource: str | None,
           field: str | None, reason: str, by: str) -> Acceptance:
    """Add (or replace: same rule, resource and field) an acceptance for PIPELINE."""
    path = acceptance_file(settings, pipeline)
    if path is None:
        raise SpecError(f"no acceptances can be kept for a pipeline named '{pipeline}'")
    if not reason.strip() or not by.strip():
        raise SpecError("an acceptance needs a reason and the name of who decides",
                        where=f"{pipeline}: rule '{rule}'")
    entry = Acceptance(rule=rule, resource=resource or None, field=field or None,
                       reason=reason.strip(), by=by.strip(),
                       at=datetime.now(UTC).isoformat(timespec="seconds"))
    kept = [e for e in steward_acceptances(settings, pipeline)
            if (e.rule, e.resource, e.field) != (entry.rule, entry.resource, entry.field)]
    entries = [e.model_dump(exclude_none=True) for e in [*kept, entry]]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(yaml.safe_dump({"accept": entries}, allow_unicode=True, sort_keys=False),
                   encoding="utf-8")
    os.replace(tmp, path)
    return entry
