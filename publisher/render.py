"""Terminal rendering of reports, run results and the catalogue (rich).

Everything from the data, the descriptor, a pipeline or a path (names,
messages, notes, titles) is shown as text, never read as rich markup."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from publisher.catalog.store import DatasetRecord
from publisher.pipeline.accept import groups
from publisher.pipeline.run import RunResult, Status
from publisher.report import Finding, Report, Severity

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.BLOCK: "red",
                   Severity.WARN: "yellow", Severity.INFO: "cyan"}
_STATUS_STYLE = {Status.PUBLISHED: "green", Status.UNCHANGED: "cyan", Status.PLANNED: "magenta",
                 Status.BLOCKED: "yellow", Status.FAILED: "bold red"}


def report(console: Console, rep: Report, limit: int = 50) -> None:
    verdict = "[green]valid[/]" if rep.valid else "[red]not valid[/]"
    counts = ", ".join(f"{n} {s}" for s, n in sorted(rep.counts().items())) or "no findings"
    console.print(f"[bold]{rep.stage}[/]: {verdict} ({counts})")
    for note in rep.notes:
        console.print(f"  note: {note}", style="dim", markup=False, highlight=False)
    if rep.findings:
        _findings(console, rep, limit)
        by_column(console, rep)
    not_checked(console, rep)


def _findings(console: Console, rep: Report, limit: int) -> None:
    table = Table("severity", "type", "resource", "row", "field", "message", "sample", "hint",
                  show_lines=False, expand=False)
    for f in rep.findings[:limit]:
        table.add_row(f"[{_SEVERITY_STYLE[f.severity]}]{f.severity}[/]", *_plain(
            f.type, f.resource, f.row, f.field, f.message, f.sample, f.hint))
    console.print(table)
    if len(rep.findings) > limit:
        console.print(f"  ... {len(rep.findings) - limit} more findings (use --json for all)")


def by_column(console: Console, rep: Report) -> None:
    """Findings summarised by rule and column, each column with its count."""
    summary = rep.by_column()
    if not summary:
        return
    table = Table("rule", "severity", "resource", "field", "count", "listed",
                  title="findings by rule and column", title_justify="left")
    for g in summary:
        table.add_row(*_plain(g.rule), f"[{_SEVERITY_STYLE[g.severity]}]{g.severity}[/]",
                      *_plain(g.resource, g.field, g.occurrences, g.findings))
    console.print(table)


def not_checked(console: Console, rep: Report) -> None:
    if not rep.not_checked:
        return
    console.print("[bold]not checked by the policy[/] (no finding does not mean no "
                  "personal data there):")
    for item in rep.not_checked:
        console.print(f"  - {item}", highlight=False, markup=False)


def runs(console: Console, results: Sequence[RunResult]) -> None:
    table = Table("pipeline", "status", "stage", "dataset", "version", "message")
    for r in results:
        pub = r.publish
        table.add_row(*_plain(r.pipeline), f"[{_STATUS_STYLE[r.status]}]{r.status}[/]",
                      *_plain(r.stage, pub.dataset if pub else None,
                              pub.version if pub else None,
                              r.message.splitlines()[0] if r.message else None))
    console.print(table)
    failed = [r for r in results if r.exit_code]
    console.print(f"{len(results)} pipeline(s): {len(results) - len(failed)} ok, "
                  f"{len(failed)} not published")


def warnings(console: Console, result: RunResult, *, accepted_only: bool = False) -> None:
    """The re-check's remaining warnings, by rule and place, each accepted (with the
    pipeline's reason) or not; then notes on the pipeline's `accept:` entries.
    `accepted_only` when the run's message lists the others (and the notes) already."""
    recheck, verdict = result.reports.get("recheck"), result.acceptance
    if recheck is None or verdict is None:
        return
    found = [f for f in recheck.findings if f.severity is Severity.WARN]
    if accepted_only:
        found = [f for f in found if verdict.reason_for(f) is not None]
    if found:
        console.print(f"[bold]{escape(result.pipeline)}[/]: warnings after the re-check",
                      highlight=False)
    for items in groups(found).values():
        first = items[0]
        reason = verdict.reason_for(first)
        more = f" ({len(items)} findings)" if len(items) > 1 else ""
        status = (f"[green]accepted[/]: {escape(reason)}" if reason is not None
                  else "[red]not accepted[/]")
        where = first.where if len(items) == 1 else Finding(
            type=first.type, message="", resource=first.resource, field=first.field).where
        console.print(f"  [yellow]warn[/] {escape(first.rule or first.type)} at "
                      f"{escape(where)}{more}: {escape(first.message)} — {status}",
                      highlight=False)
    for note in [] if accepted_only else verdict.unused:
        console.print(f"  note: {escape(note)}", style="dim", highlight=False)


def steps(console: Console, result: RunResult) -> None:
    """One line per anonymisation step with its figures."""
    for step in result.steps:
        figures = ", ".join(f"{k}={_compact(v)}" for k, v in step["stats"].items())
        console.print(f"  {result.pipeline}: {step['type']}: {figures}", highlight=False,
                      markup=False)


def catalog(console: Console, root: Path, records: Sequence[DatasetRecord]) -> None:
    console.print(f"catalogue: {root}", markup=False, highlight=False)
    if not records:
        console.print("the catalogue is empty")
        return
    table = Table("dataset", "version", "published")
    table.add_column("files (relative to the catalogue)", overflow="fold")
    for rec in records:
        files = [_relative(f, root) for f in rec.files]
        table.add_row(f"{escape(rec.name)}\n[dim]{escape(rec.title)}[/]",
                      *_plain(rec.version, rec.published_at, "\n".join(files)))
    console.print(table)


def _plain(*values: object) -> list[Text]:
    """Table cells shown as they are: names, messages and paths come from the
    data, and rich would read "items[/red]" in one as markup (and fail)."""
    return [Text("" if v is None else str(v)) for v in values]


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
