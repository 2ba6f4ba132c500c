"""`publisher conformance fetch` and `publisher conformance status`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from publisher.console import emit_json, guard, out
from publisher.errors import EXIT_BLOCKED, EXIT_OK

conformance_app = typer.Typer(
    no_args_is_help=True,
    help="The official DCAT-AP.de SHACL shapes: download them pinned (`fetch`), show "
         "which are there (`status`). Without them the project's own checks run.")

DirOpt = Annotated[Path | None, typer.Option(
    "--dir", help="Conformance directory (default: PUBLISHER_CONFORMANCE_DIR, else "
                  "<home>/conformance).")]
HomeOpt = Annotated[Path | None, typer.Option("--home", help="Publisher home.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


@conformance_app.command("fetch")
def fetch(directory: DirOpt = None, home: HomeOpt = None,
          mirror: Annotated[str | None, typer.Option(
              "--mirror", help="Base URL standing in for https://raw.githubusercontent.com/, "
                               "laid out like it (<mirror>/<owner>/<repository>/<commit>/"
                               "<path>); default: PUBLISHER_CONFORMANCE_MIRROR.")] = None,
          as_json: JsonOpt = False) -> None:
    """Download the official DCAT-AP.de 3.0 shapes and vocabularies, each checked against
    its pinned SHA-256. Exit 0 when all are in place, 2 when one could not be fetched or
    differs from its pin (then nothing is changed)."""
    from publisher.conformance.fetch import fetch_official
    from publisher.settings import load_settings

    with guard(as_json, False):
        settings = load_settings(home=home, conformance_dir=directory,
                                 conformance_mirror=mirror)
        result = fetch_official(settings.conformance_path, base=settings.conformance_mirror)
    if as_json:
        emit_json({"ok": True, **result.to_dict()})
        return
    for path in result.downloaded:
        out.print(f"  downloaded {path}", highlight=False, markup=False)
    out.print(f"{len(result.downloaded)} file(s) downloaded, {len(result.unchanged)} already "
              f"in place and verified: {result.directory}", highlight=False, markup=False)


@conformance_app.command("status")
def status(directory: DirOpt = None, home: HomeOpt = None, as_json: JsonOpt = False) -> None:
    """Which official files are present and verified. Exit 0 when all are (the official
    shapes run), 1 otherwise (the project's own checks run instead)."""
    from publisher.conformance.status import State, directory_status
    from publisher.settings import load_settings

    with guard(as_json, False):
        settings = load_settings(home=home, conformance_dir=directory)
        found = directory_status(settings.conformance_path)
    if as_json:
        emit_json(found.to_dict())
    else:
        for f in found.files:
            style = "green" if f.state is State.VERIFIED else "yellow"
            out.print(f"  [{style}]{f.state:<8}[/] {escape(str(f.path))}", highlight=False)
        verdict = ("the official DCAT-AP.de shapes are used" if found.complete else
                   "the project's own DCAT-AP.de checks are used; `publisher conformance "
                   "fetch` downloads the official shapes")
        out.print(f"{escape(str(found.directory))}: {found.summary()}: {verdict}",
                  highlight=False)
    raise typer.Exit(EXIT_OK if found.complete else EXIT_BLOCKED)
