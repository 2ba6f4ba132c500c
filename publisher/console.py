"""What every command of the `publisher` command line prints through: the consoles
(stdout for results, stderr for errors and progress), JSON output, and the guard
that turns errors into a clear message and an exit code.

It sits below every room, so sub-command modules (publisher.conformance.cli,
publisher.reference.cli) print like publisher.cli without importing it.
"""

from __future__ import annotations

import json
from typing import Any, Literal, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from publisher.errors import PublisherError

out = Console(soft_wrap=True)
err = Console(stderr=True)


def emit_json(data: Any) -> None:
    out.print_json(json.dumps(data, ensure_ascii=False, default=str))


def fail(exc: PublisherError, as_json: bool) -> NoReturn:
    if as_json:
        emit_json({"ok": False, **exc.to_dict()})
    else:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
    raise typer.Exit(exc.exit_code)


class guard:
    """Turn PublisherErrors into a clear message and exit code; hide tracebacks
    of anything else unless --debug (they may carry data values)."""

    def __init__(self, as_json: bool, debug: bool):
        self.as_json, self.debug = as_json, debug

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> Literal[False]:
        if exc is None or isinstance(exc, typer.Exit | KeyboardInterrupt) or self.debug:
            return False
        if isinstance(exc, PublisherError):
            fail(exc, self.as_json)
        if isinstance(exc, Exception):
            fail(PublisherError(f"internal error ({type(exc).__name__}); run again with "
                                "--debug to see the traceback"), self.as_json)
        return False
