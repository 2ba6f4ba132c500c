"""Terminal rendering of reports, run results and the catalogue (rich)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from publisher.pipeline.run import RunResult, Status
from publisher.report import Report, Severity
from publisher.targets.base import DatasetRecord

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.BLOCK: "red",
                   Severity.WARN: "yellow", Severity.INFO: "cyan"}
_STATUS_STYLE = {Status.PUBLISHED: "green", Status.UNCHANGED: "cyan", Status.PLANNED: "magenta",
                 Status.BLOCKED: "yellow", Status.FAILED: "bold red"}


def report(console: Console, rep: Report, limit: int = 50) -> None:
    verdict = "[green]valid[/]" if rep.valid else "[red]not valid[/]"
    counts = ", ".join(f"{n} {s}" for s, n in sorted(rep.counts().items())) or "no findings"
    console.print(f"[bold]{rep.stage}[/]: {verdict} ({counts})")
    for note in rep.notes:
        console.print(f"  note: {note}", style="dim")
    if not rep.findings:
        return
    table = Table("severity", "type", "resource", "row", "field", "message", "sample", "hint",
                  show_lines=False, expand=False)
    for f in rep.findings[:limit]:
        table.add_row(f"[{_SEVERITY_STYLE[f.severity]}]{f.severity}[/]", f.type, f.resource or "",
                      "" if f.row is None else str(f.row), f.field or "", f.message,
                      f.sample or "", f.hint or "")
    console.print(table)
    if len(rep.findings) > limit:
        console.print(f"  ... {len(rep.findings) - limit} more findings (use --json for all)")


def runs(console: Console, results: Sequence[RunResult]) -> None:
    table = Table("pipeline", "status", "stage", "dataset", "version", "message")
    for r in results:
        pub = r.publish
        table.add_row(r.pipeline, f"[{_STATUS_STYLE[r.status]}]{r.status}[/]", r.stage,
                      pub.dataset if pub else "", str(pub.version) if pub else "",
                      r.message.splitlines()[0] if r.message else "")
    console.print(table)
    failed = [r for r in results if r.exit_code]
    console.print(f"{len(results)} pipeline(s): {len(results) - len(failed)} ok, "
                  f"{len(failed)} not published")


def steps(console: Console, result: RunResult) -> None:
    """One line per anonymisation step with its figures."""
    for step in result.steps:
        figures = ", ".join(f"{k}={_compact(v)}" for k, v in step["stats"].items())
        console.print(f"  {result.pipeline}: {step['type']}: {figures}", highlight=False,
                      markup=False)


def catalog(console: Console, root: Path, records: Sequence[DatasetRecord]) -> None:
    console.print(f"catalogue: {root}")
    if not records:
        console.print("the catalogue is empty")
        return
    table = Table("dataset", "version", "published")
    table.add_column("files (relative to the catalogue)", overflow="fold")
    for rec in records:
        files = [_relative(f, root) for f in rec.files]
        table.add_row(f"{rec.name}\n[dim]{rec.title}[/]", str(rec.version), rec.published_at,
                      "\n".join(files))
    console.print(table)


def _compact(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_compact(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_compact(v) for v in value) + "]"
    return str(value)


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root))
    except ValueError:
        return path
