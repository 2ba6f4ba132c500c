"""The anonymisation step interface: one class per file, registered by `type`.

A step changes the package it is given (the pipeline hands it a copy) and
returns what it did as plain figures for the run report and audit record.

Steps that need more than the package (a secret key, a file named relative to
the pipeline) read `self.context`, which the runner sets through `run()`;
calling `apply()` directly keeps working with an empty context.

The figures the audit record gathers across steps are typed, StepFigures: a
step puts them in its `stats` beside its own, and `StepOutcome.figures` reads them.
"""

from __future__ import annotations

import builtins
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from publisher.errors import SpecError
from publisher.package.model import Package
from publisher.params import SUMMED
from publisher.passes import IN_PROCESS, Passes
from publisher.registry import Registry, checked_params, params_class
from publisher.steps._stream import Chain, settle

MIN_KEY_LENGTH = 16


class StepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource: str | None = Field(
        None, description="The resource the step changes (its name); default: every resource "
                          "it applies to.")


class StepFigures(BaseModel):
    """The figures of a step that the audit record gathers across steps, where the
    step has them; SUMMED ones are added up."""

    model_config = ConfigDict(extra="ignore")  # a step's own figures stay in its stats

    rows_suppressed: Annotated[int | None, SUMMED] = None
    cells_suppressed: Annotated[int | None, SUMMED] = None
    points_suppressed: Annotated[int | None, SUMMED] = None
    cells_merged: Annotated[int | None, SUMMED] = None
    points_merged: Annotated[int | None, SUMMED] = None
    k_asked: int | None = None
    k_reached: int | None = None  # the smallest class or published cell
    mean_displacement_m: float | None = None
    generalisation: dict[str, Any] = Field(default_factory=dict)  # {resource.column: level}
    columns_dropped: dict[str, list[str]] = Field(default_factory=dict)  # {resource: columns}
    cells_by_resolution: dict[int, int] | None = None  # grid cells published per cell size


@dataclass
class StepOutcome:
    stats: dict[str, Any] = field(default_factory=dict)  # StepFigures' and the step's own
    notes: list[str] = field(default_factory=list)

    @property
    def figures(self) -> StepFigures:
        return StepFigures.model_validate(self.stats)


@dataclass
class StepContext:
    """What the runner knows beyond the package. `secret` is never written anywhere."""

    base: Path | None = None  # the pipeline file's directory: step files are relative to it
    secret: str | None = field(default=None, repr=False)  # Settings.pseudonym_key
    inputs: list[Path] = field(default_factory=list)  # files steps read, hashed by the audit
    passes: Passes = IN_PROCESS  # where the passes over rows run (publisher.passes)
    # where row-wise steps write the records they change, batch by batch (steps._stream);
    # None: they change the whole table in memory
    workdir: Path | None = None
    # with a working directory: consecutive row-wise steps queue their changes here and
    # share one pass over the records, run when the runner settles it (steps._stream)
    chain: Chain | None = None

    def key(self, env: str | None, step: str) -> bytes:
        """The secret key: from the environment variable the step names, else the settings."""
        value = os.environ.get(env) if env else self.secret
        if not value:
            source = f"the environment variable {env}" if env else "PUBLISHER_PSEUDONYM_KEY"
            raise SpecError(f"{step} needs a secret key, but {source} is not set",
                            where=step, hint="set it outside the package and the pipeline "
                            "file; the key is never written to any output")
        if len(value) < MIN_KEY_LENGTH:
            raise SpecError(f"{step}: the secret key is shorter than {MIN_KEY_LENGTH} "
                            "characters", where=step, hint="use a long random key")
        return value.encode("utf-8")

    def file(self, name: str) -> Path:
        """A file named in a step, relative to the pipeline; recorded for the audit."""
        path = Path(name)
        if not path.is_absolute() and self.base is not None:
            path = self.base / path
        self.inputs.append(path)
        return path


P = TypeVar("P", bound=StepParams)


class Step(ABC, Generic[P]):
    """Typed by its parameters in the class header, `class X(Step[XParams])`; `Params`
    (what a pipeline's step entry is checked against) is taken from there."""

    type: ClassVar[str]
    Params: ClassVar[builtins.type[StepParams]] = StepParams
    example: ClassVar[str] = ""  # a `steps:` entry in YAML, shown by `publisher steps TYPE`
    # Changes records only through steps._stream.rewrite (or reads none): its changes may
    # wait in the context's chain and share one pass with its neighbours'. A step that
    # reads records is handed them with every earlier change applied (run_steps).
    row_wise: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.Params = params_class(cls, StepParams)

    def __init__(self, params: P):
        self.params: P = checked_params(self, params)
        self.context = StepContext()

    def run(self, package: Package, context: StepContext) -> StepOutcome:
        """What the runner calls: apply with the run's context."""
        self.context = context
        return self.apply(package)

    @abstractmethod
    def apply(self, package: Package) -> StepOutcome:
        """Change the package in place and say what was done."""


steps: Registry[type[Step[Any]]] = Registry("step", "publisher.steps")

OnStep = Callable[[int, "Step[Any]"], None]
OnOutcome = Callable[["Step[Any]", StepOutcome], None]


def run_steps(chosen: Sequence[Step[Any]], package: Package, context: StepContext, *,
              on_start: OnStep | None = None, on_ran: OnStep | None = None,
              on_outcome: OnOutcome | None = None) -> list[StepOutcome]:
    """Run the steps in order on the package. With a working directory, consecutive
    row-wise steps share one pass over the records (a chain, steps._stream): it is
    settled before each step that reads records and after the last. ON_START and
    ON_RAN are called around each step's run (its number from 1); ON_OUTCOME gets a
    step's outcome once its figures are complete, which for a row-wise step is after
    its chain's pass, in the order of the steps. When a step or a chain's pass fails,
    the steps whose pass did not complete still reach ON_OUTCOME, with a note that
    their changes were not made, before the error is raised."""
    if context.workdir is not None and context.chain is None:
        context.chain = Chain()
    outcomes: list[StepOutcome] = []
    waiting: list[tuple[Step[Any], StepOutcome]] = []

    def reported() -> None:
        while waiting:
            step, outcome = waiting.pop(0)
            if on_outcome is not None:
                on_outcome(step, outcome)

    def settled() -> None:
        settle(context)
        reported()

    queued: set[int] = set()  # id() of the waiting outcomes whose steps queued work

    def in_chain() -> int:
        chain = context.chain
        return 0 if chain is None else \
            sum(len(p.changes) for p in chain.pending.values()) + len(chain.callbacks)

    try:
        for number, step in enumerate(chosen, 1):
            if not step.row_wise:
                settled()
            if on_start is not None:
                on_start(number, step)
            before = in_chain()
            outcome = step.run(package, context)
            if in_chain() > before:
                queued.add(id(outcome))
            if on_ran is not None:
                on_ran(number, step)
            outcomes.append(outcome)
            waiting.append((step, outcome))
        settled()
    except Exception:
        unfinished = [(step, outcome) for step, outcome in waiting if id(outcome) in queued]
        shared = ", ".join(step.type for step, _ in unfinished)
        for _, outcome in unfinished:
            outcome.notes.append(f"not finished: the run stopped before the pass over the "
                                 f"records shared by {shared} completed; the step's changes "
                                 "were not made and its figures are incomplete")
        reported()
        raise
    return outcomes
