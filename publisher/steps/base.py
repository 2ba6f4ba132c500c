"""The anonymisation step interface: one class per file, registered by `type`.

A step changes the package it is given (the pipeline hands it a copy) and
returns what it did as plain figures for the run report and audit record.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from publisher.package.model import Package
from publisher.registry import Registry


class StepParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resource: str | None = None  # None: every resource the step applies to


@dataclass
class StepOutcome:
    stats: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Step(ABC):
    type: ClassVar[str]
    Params: ClassVar[builtins.type[StepParams]] = StepParams

    def __init__(self, params: StepParams):
        self.params = params

    @abstractmethod
    def apply(self, package: Package) -> StepOutcome:
        """Change the package in place and say what was done."""


steps: Registry[type[Step]] = Registry("step", "publisher.steps")
