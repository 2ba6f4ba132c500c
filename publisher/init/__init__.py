"""`publisher init`: from the files a city has to a package and a pipeline.

init_package copies the raw files into DIR/data/, describes them as a
Frictionless package (DIR/datapackage.json: formats, encodings, dialects,
Table Schemas, geometry and CRS, licence and publisher or placeholders for
them), validates it and runs the policy check, and writes DIR/pipeline.yaml
with the steps the findings need, each with its reason. The work happens in
a fresh directory beside DIR that takes DIR's place only when all went well.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.errors import InputError
from publisher.init.describe import Described, describe_source
from publisher.init.pipeline import pipeline_yaml
from publisher.init.plan import Plan, plan_steps
from publisher.init.sources import DATA, Source, collect, copy_in, slug
from publisher.licences import crosswalk, normalise
from publisher.package.loader import load_package
from publisher.report import Report
from publisher.resources import policy_path
from publisher.rules.policy import Policy, check_package, load_policy
from publisher.validate import validate_package
from publisher.validate.placeholders import placeholder

DESCRIPTOR = "datapackage.json"
PIPELINE = "pipeline.yaml"
WRITTEN = (DESCRIPTOR, PIPELINE, DATA)  # what --force replaces in DIR


@dataclass
class InitResult:
    out: Path
    resources: list[Described]
    validation: Report
    check: Report
    plan: Plan
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "out": str(self.out), "descriptor": str(self.out / DESCRIPTOR),
            "pipeline": str(self.out / PIPELINE),
            "resources": [r.to_dict() for r in self.resources],
            "validate": self.validation.summary(), "check": self.check.summary(),
            "steps": [{"type": s.type, "resource": s.resource, "params": s.params,
                       "why": s.why} for s in self.plan.steps],
            "open": self.plan.open, "notes": self.notes,
        }


def _check_out(out: Path, paths: list[Path], force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise InputError(f"{out}: the directory exists and is not empty",
                         hint="choose another --out, or give --force to replace the package "
                              f"files in it ({', '.join(WRITTEN)})")
    real = out.resolve()
    for path in paths:
        if path.resolve().is_relative_to(real):
            raise InputError(f"{path}: the input lies inside the output directory {out}",
                             hint="give --out a directory of its own")


def _licences(licence: str | None) -> list[dict[str, str]]:
    if licence is None:
        return [{"name": placeholder("the licence id, e.g. dl-by-de/2.0 or cc-by/4.0 "
                                     "(publisher init --license ID)")}]
    found = normalise(licence)
    if found is None:
        raise InputError(f"--license: unknown licence {licence!r}",
                         hint="known: " + ", ".join(crosswalk().ids()))
    return [found.frictionless()]


def _policy_ref(policy: str, out: Path) -> str:
    """How the pipeline names the policy: a shipped name as is, a file relative to DIR."""
    path = policy_path(policy, Path.cwd())
    shipped = path.parent.name == "policies" and path.stem == policy
    return policy if shipped else os.path.relpath(path.resolve(), out.resolve())


def init_package(paths: list[Path], out: Path, *, licence: str | None = None,
                 publisher: str | None = None, policy: str = "de-open-data",
                 force: bool = False) -> InitResult:
    """Describe `paths` as a package in `out`, check it, write its pipeline."""
    _check_out(out, paths, force)
    sources, notes = collect(paths)
    licences = _licences(licence)
    checked = load_policy(str(policy_path(policy, Path.cwd())))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}-init-", dir=out.parent))
    except OSError as exc:
        raise InputError(f"{out}: cannot create the package there ({exc.strerror})") from None
    try:
        result = _build(work, out, sources, licences, publisher, checked, policy, licence)
        result.notes[:0] = notes
        _move_into(work, out)
    except OSError as exc:
        where = Path(exc.filename).name if exc.filename else str(out)
        raise InputError(f"{out}: cannot copy or write the package files ({exc.strerror}: "
                         f"{where})") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def _build(work: Path, out: Path, sources: list[Source], licences: list[dict[str, str]],
           publisher: str | None, checked: Policy, policy: str,
           licence: str | None) -> InitResult:
    taken: set[str] = set()
    names: set[str] = set()
    described: list[Described] = []
    for source in sources:
        main = copy_in(source, work, taken)
        described += describe_source(source, main, work, names)
    descriptor: dict[str, Any] = {
        "name": slug(out.name, "package"),
        "licenses": licences,
        "contributors": [{"title": publisher or placeholder(
            "the publishing body, e.g. Stadt Musterstadt (publisher init --publisher NAME)"),
            "role": "publisher"}],
        "resources": [d.descriptor for d in described],
    }
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    (work / DESCRIPTOR).write_text(text, encoding="utf-8")
    package = load_package(work)
    validation = validate_package(package)
    check = check_package(checked, package, stage="check")
    plan = plan_steps(check)
    name = slug(out.name, "package")
    found = normalise(licence) if licence else None
    yaml_text = pipeline_yaml(name=name, dataset=name if len(name) > 1 else f"{name}-data",
                              policy=_policy_ref(policy, out), plan=plan,
                              publisher=publisher, licence=found.id if found else None,
                              invalid=len(validation.blocking))
    (work / PIPELINE).write_text(yaml_text, encoding="utf-8")
    return InitResult(out=out, resources=described, validation=validation, check=check,
                      plan=plan)


def _move_into(work: Path, out: Path) -> None:
    if not out.exists():
        work.rename(out)
        return
    for name in WRITTEN:
        target = out / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
    for item in work.iterdir():
        item.rename(out / item.name)
