"""The anonymisation step interface: one class per file, registered by `type`.

A step changes the package it is given (the pipeline hands it a copy) and
returns what it did as plain figures for the run report and audit record.

Steps that need more than the package (a secret key, a file named relative to
the pipeline) read `self.context`, which the runner sets through `run()`;
calling `apply()` directly keeps working with an empty context.

Figures the audit record gathers across steps, when a step has them:
rows_suppressed, cells_suppressed, points_suppressed, k_reached, k_asked,
mean_displacement_m, generalisation ({column: level}).
"""

from __future__ import annotations

import builtins
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from publisher.errors import SpecError
from publisher.package.model import Package
from publisher.registry import Registry

MIN_KEY_LENGTH = 16


class StepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource: str | None = Field(
        None, description="The resource the step changes (its name); default: every resource "
                          "it applies to.")


@dataclass
class StepOutcome:
    stats: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class StepContext:
    """What the runner knows beyond the package. `secret` is never written anywhere."""

    base: Path | None = None  # the pipeline file's directory: step files are relative to it
    secret: str | None = field(default=None, repr=False)  # Settings.pseudonym_key
    inputs: list[Path] = field(default_factory=list)  # files steps read, hashed by the audit
    # where row-wise steps write the records they change, batch by batch (steps._stream);
    # None: they change the whole table in memory
    workdir: Path | None = None

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


class Step(ABC):
    type: ClassVar[str]
    Params: ClassVar[builtins.type[StepParams]] = StepParams
    example: ClassVar[str] = ""  # a `steps:` entry in YAML, shown by `publisher steps TYPE`

    def __init__(self, params: StepParams):
        self.params = params
        self.context = StepContext()

    def run(self, package: Package, context: StepContext) -> StepOutcome:
        """What the runner calls: apply with the run's context."""
        self.context = context
        return self.apply(package)

    @abstractmethod
    def apply(self, package: Package) -> StepOutcome:
        """Change the package in place and say what was done."""


steps: Registry[type[Step]] = Registry("step", "publisher.steps")
