"""`publisher steps [TYPE]`, `publisher rules [TYPE]` and `publisher policy show NAME`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.syntax import Syntax
from rich.table import Table

from publisher.console import emit_json, guard, out
from publisher.reference.catalogue import Entry, Kind, entry, rule_entries, step_entries

policy_app = typer.Typer(no_args_is_help=True,
                         help="Privacy and licence policies: `show NAME` prints one as it "
                              "applies after `extends`.")

TypeArg = Annotated[str | None, typer.Argument(
    metavar="TYPE", help="Show only this type, with its full description.",
    show_default=False)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def steps_command(type_id: TypeArg = None, as_json: JsonOpt = False) -> None:
    """List the anonymisation steps with their parameters and an example.

    Each parameter with its type, default and description; `publisher steps TYPE`
    shows one step with its full description."""
    _show("step", type_id, as_json)


def rules_command(type_id: TypeArg = None, as_json: JsonOpt = False) -> None:
    """List the privacy and licence rules with their parameters and an example.

    Each parameter with its type, default and description, and each rule's default
    severity; `publisher rules TYPE` shows one rule with its full description."""
    _show("rule", type_id, as_json)


@policy_app.command("show")
def policy_show(name: Annotated[str, typer.Argument(
                    help="A shipped policy's name (de-open-data, at-ogd) or a policy file.")],
                as_json: JsonOpt = False) -> None:
    """Print a policy as it applies after `extends`.

    Every rule with its severity and all its parameters, defaults included: YAML that
    loads as a policy file (or JSON with --json)."""
    from publisher.reference.effective import effective, effective_yaml
    from publisher.resources import policy_path
    from publisher.rules.policy import load_policy

    with guard(as_json, False):
        policy = load_policy(str(policy_path(name, Path.cwd())))
    if as_json:
        emit_json({**effective(policy), "files": [str(p) for p in policy.chain]})
        return
    out.print(effective_yaml(policy), end="", markup=False, highlight=False)


def _show(kind: Kind, type_id: str | None, as_json: bool) -> None:

    with guard(as_json, False):
        entries = [entry(kind, type_id)] if type_id else (
            step_entries() if kind == "step" else rule_entries())
    if as_json:
        emit_json({f"{kind}s": [_data(e) for e in entries]})
        return
    for e in entries:
        _print(out, e, full=type_id is not None)
    if type_id is None:
        out.print(f"`publisher {kind}s TYPE` shows one {kind} with its full description.",
                  style="dim", highlight=False)


def _print(console: Console, e: Entry, *, full: bool) -> None:
    console.rule(f"[bold]{e.type}[/]", align="left")
    console.print(escape(e.summary), highlight=False)
    if e.severity:
        console.print(f"default severity: {e.severity}", highlight=False)
    if full and e.details:
        console.print()
        console.print(escape(e.details), highlight=False)
    if full and e.hint:
        console.print(f"fix: {escape(e.hint)}", highlight=False)
    table = Table("parameter", "type", "default", "description", box=None, pad_edge=False,
                  show_edge=False)
    for p in e.params:
        table.add_row(p.name, escape(p.type), escape(p.default_text), escape(p.description))
    console.print(table if e.params else "no parameters")
    console.print("example:", highlight=False)
    console.print(Syntax(e.example.rstrip("\n"), "yaml", background_color="default"))
    console.print()


def _data(e: Entry) -> dict[str, Any]:
    return {"type": e.type, "summary": e.summary, "description": e.details,
            "default_severity": e.severity, "hint": e.hint,
            "params": [{"name": p.name, "type": p.type, "required": p.required,
                        "default": None if p.required else p.default,
                        "description": p.description} for p in e.params],
            "example": e.example}

