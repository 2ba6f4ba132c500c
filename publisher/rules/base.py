"""The rule interface: one class per file, registered by its `type` id.

A rule reads a Package and yields Findings; it never changes the package.
Samples in findings are masked with publisher.masking.mask: no raw value leaves a rule.
"""

from __future__ import annotations

import builtins
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict

from publisher.package.model import Package, Resource
from publisher.passes import IN_PROCESS, Passes
from publisher.progress import NO_PROGRESS, Progress
from publisher.registry import Registry, checked_params, params_class
from publisher.report import Finding, Severity
from publisher.rules._points import GeometryPass
from publisher.rules._shared import BatchPass


class RuleParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


P = TypeVar("P", bound=RuleParams)


class Rule(ABC, Generic[P]):
    """Typed by its parameters in the class header, `class X(Rule[XParams])`; `Params`
    (what a policy's `params:` is checked against) is taken from there."""

    type: ClassVar[str]
    Params: ClassVar[builtins.type[RuleParams]] = RuleParams
    default_severity: ClassVar[Severity] = Severity.BLOCK
    hint: ClassVar[str | None] = None  # what fixes a finding; built from `fixes` when set
    fixes: ClassVar[tuple[str, ...]] = ()  # ids of the steps that fix a finding, best first
    fix_how: ClassVar[str] = ""  # what those steps do to fix it, in words
    example: ClassVar[str] = ""  # a policy's `rules:` entry in YAML (`publisher rules TYPE`)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.Params = params_class(cls, RuleParams)
        if ("fixes" in cls.__dict__ or "fix_how" in cls.__dict__) and "hint" not in cls.__dict__:
            cls.hint = fix_hint(cls.fix_how, cls.fixes)

    def __init__(self, params: P, *, severity: Severity | None = None,
                 id: str | None = None):
        self.params: P = checked_params(self, params)
        self.severity = severity or self.default_severity
        self.id = id or self.type
        self.stats: dict[str, Any] = {}  # figures beyond findings, set by check()
        self.progress: Progress = NO_PROGRESS  # where long work reports (check_package sets it)
        self.passes: Passes = IN_PROCESS  # where rows are counted (check_package sets it)

    @abstractmethod
    def check(self, package: Package) -> Iterable[Finding]:
        """Yield findings about the package."""

    def batch_passes(self, resource: Resource) -> list[BatchPass[Any]]:
        """The passes over the resource's text batches that check() will ask for
        (publisher.rules._shared.result_of): check_package has them made by the
        check's one read of the resource."""
        return []

    def geometry_passes(self, package: Package, resource: Resource) -> list[GeometryPass[Any]]:
        """The passes over the resource's geometry (publisher.rules._points.GeometryPass)
        that check() will ask for: check_package has them made by one read of it."""
        return []

    def finding(self, message: str, **where: object) -> Finding:
        """A finding of this rule, with its severity, id and default hint."""
        where.setdefault("hint", self.hint)
        return Finding(type=self.type, message=message, severity=self.severity, rule=self.id,
                       **where)  # type: ignore[arg-type]


def fix_hint(how: str, fixes: Sequence[str]) -> str:
    """A finding's hint: what to do, and the steps (`publisher steps TYPE`) that do it."""
    if not fixes:
        return how
    steps = ", ".join(fixes)
    return f"{how} (steps: {steps})" if how else f"steps: {steps}"


rules: Registry[type[Rule[Any]]] = Registry("rule", "publisher.rules")
