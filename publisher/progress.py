"""Progress of long work: a small typed callback the stages report to.

A stage says what it starts on and how much of it there is (`start`), then how
much more is done (`advance`), in rows or bytes. It never prints: the command
line shows it (publisher.progress_display, on stderr when that is a terminal),
and anything else passes NO_PROGRESS. A total may be given as a function, which
is called only when progress is shown (counting the records of a large CSV file
costs a read of it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol

from publisher.package.model import Resource

Unit = Literal["rows", "bytes"]
Total = int | Callable[[], int | None] | None


class Progress(Protocol):
    def start(self, what: str, total: Total, unit: Unit) -> None:
        """Work on `what` begins: `total` units of it (None: not known)."""

    def advance(self, amount: int) -> None:
        """`amount` more units of the current work are done."""

    def finish(self) -> None:
        """The current work is done (whatever was counted of it)."""


class _NoProgress:
    def start(self, what: str, total: Total, unit: Unit) -> None:
        return None

    def advance(self, amount: int) -> None:
        return None

    def finish(self) -> None:
        return None


NO_PROGRESS: Progress = _NoProgress()


def records(resource: Resource) -> Callable[[], int | None]:
    """A resource's record count, for a total: exact for data in memory; for a CSV
    file its lines but the header (a quoted line break counts as a record too, so
    the bar may end a little early), without parsing it."""

    def count() -> int | None:
        if resource.data is not None:
            return len(resource.data)
        # a step may have narrowed the file's columns without reading it
        path = resource.projection.file if resource.projection is not None else resource.path
        if resource.format != "csv" or path is None:
            return None
        lines, last = 0, b"\n"
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 22):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        return max(0, lines + (last != b"\n") - 1)

    return count
