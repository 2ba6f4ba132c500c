"""Progress on the terminal (rich): what the stages report through
publisher.progress, as bars with the rows or bytes done, the percentage and the
time left; for `publisher run`, a line per pipeline with its stage above them.
Off (nothing is drawn) unless enabled: the CLI enables it only when stderr is a
terminal and neither --quiet nor --json is given."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as Bars
from rich.text import Text

from publisher.progress import Total, Unit


class _Amount(ProgressColumn):
    """'1.2/3.4 MB', '12,000/50,000 rows' or '3/9 stages'."""

    def render(self, task: Task) -> Text:
        unit = str(task.fields.get("unit", ""))
        done, total = int(task.completed), task.total
        if total is None and not done:
            return Text("")
        if unit == "bytes":
            text = decimal(done) if total is None else f"{decimal(done)} of {decimal(int(total))}"
        else:
            text = f"{done:,}" if total is None else f"{done:,}/{int(total):,}"
            text += f" {unit}"
        return Text(text, style="progress.download")


class _TimeLeft(TimeRemainingColumn):
    """Time left of measured work (not of a pipeline's stages, which differ in length)."""

    def render(self, task: Task) -> Text:
        if task.fields.get("unit") not in ("rows", "bytes"):
            return Text("")
        return super().render(task)


class Display:
    """The publisher.progress.Progress of the command line."""

    def __init__(self, console: Console, *, enabled: bool):
        self.enabled = enabled
        self.bars = Bars(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                         TaskProgressColumn(), _Amount(), _TimeLeft(),
                         TimeElapsedColumn(), console=console, transient=True,
                         disable=not enabled)
        self._work: TaskID | None = None

    def __enter__(self) -> Display:
        self.bars.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.bars.stop()

    def start(self, what: str, total: Total, unit: Unit) -> None:
        if not self.enabled:
            return
        count = total() if callable(total) else total
        if self._work is not None:  # a new task: rich's reset keeps an old total
            self.bars.remove_task(self._work)
        self._work = self.bars.add_task(what, total=count, unit=unit)

    def advance(self, amount: int) -> None:
        if self._work is not None:
            self.bars.advance(self._work, amount)

    def finish(self) -> None:
        if self._work is None:
            return
        task = next(t for t in self.bars.tasks if t.id == self._work)
        if task.total is None:
            self.bars.update(self._work, total=task.completed)
        self.bars.update(self._work, completed=task.total)

    def idle(self) -> None:
        """Nothing measurable under way: hide the work line."""
        if self._work is not None:
            self.bars.update(self._work, visible=False)

    def line(self, what: str, total: int, unit: str) -> TaskID:
        """A line of its own (a pipeline and its stages)."""
        return self.bars.add_task(what, total=total, unit=unit)

    def update(self, line: TaskID, what: str, completed: int) -> None:
        self.bars.update(line, description=what, completed=completed)
