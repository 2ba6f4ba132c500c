"""The registered steps and rules as entries of a catalogue: what each does (its
module's docstring), its parameters (from its Params model, through the same
schema the pipeline and policy files are checked against) and an example."""

from __future__ import annotations

import builtins
import inspect
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from publisher.errors import SpecError
from publisher.params_schema import Param, models_schema, params_of, resolve
from publisher.rules.base import Rule, rules
from publisher.steps.base import Step, steps

Kind = Literal["step", "rule"]
_SECTION = re.compile(r"RULES\.md\s+section\s+(\d)")


@dataclass(frozen=True)
class Entry:
    kind: Kind
    type: str
    summary: str  # the first paragraph of the module docstring, without the type
    details: str  # the rest of it
    params: list[Param]
    example: str  # YAML
    model: builtins.type[BaseModel] = field(compare=False, repr=False)  # the Params
    severity: str | None = None  # rules: the default severity
    hint: str | None = None  # rules: the step that fixes a finding
    section: int | None = None  # the RULES.md section it cites first

    @property
    def example_data(self) -> dict[str, Any]:
        """The example's (first) entry as data."""
        loaded = yaml.safe_load(self.example) if self.example else None
        first = loaded[0] if isinstance(loaded, list) and loaded else {}
        return first if isinstance(first, dict) else {}


def step_entries() -> list[Entry]:
    return [_entries("step")[t] for t in steps.types()]


def rule_entries() -> list[Entry]:
    return [_entries("rule")[t] for t in rules.types()]


def entry(kind: Kind, type_id: str) -> Entry:
    """One step or rule by its type; an unknown type names the known ones."""
    registry = steps if kind == "step" else rules
    registry.get(type_id)
    found = _entries(kind).get(type_id)
    if found is None:  # pragma: no cover - registered types all have entries
        raise SpecError(f"no catalogue entry for {kind} '{type_id}'")
    return found


@cache
def _entries(kind: Kind) -> dict[str, Entry]:
    classes: dict[str, type[Step[Any]] | type[Rule[Any]]] = (
        {t: steps.get(t) for t in steps.types()} if kind == "step"
        else {t: rules.get(t) for t in rules.types()})
    models = list(dict.fromkeys(cls.Params for cls in classes.values()))
    refs, defs = models_schema(models)
    out: dict[str, Entry] = {}
    for type_id, cls in classes.items():
        summary, details = _docstring(cls, type_id)
        schema = resolve(refs[cls.Params], defs)
        severity = hint = None
        if issubclass(cls, Rule):
            severity = str(cls.default_severity)
            hint = cls.hint if isinstance(cls.hint, str | None) else _instance_hint(cls)
        out[type_id] = Entry(kind=kind, type=type_id, summary=summary, details=details,
                             params=params_of(schema, defs), example=cls.example,
                             severity=severity, hint=hint, section=_section(summary, details),
                             model=cls.Params)
    return out


def _docstring(cls: type, type_id: str) -> tuple[str, str]:
    text = inspect.cleandoc(sys.modules[cls.__module__].__doc__ or "")
    first, _, rest = text.partition("\n\n")
    first = " ".join(first.split())
    first = first.removeprefix(f"{type_id}:").strip()
    return (first[:1].upper() + first[1:]), rest.strip()


def _section(summary: str, details: str) -> int | None:
    found = _SECTION.search(" ".join(f"{summary} {details}".split()))
    return int(found.group(1)) if found else None


def _instance_hint(cls: type[Rule[Any]]) -> str | None:
    """A hint that a rule works out (a property): from the rule with its defaults."""
    try:
        return cls(cls.Params()).hint
    except ValidationError:
        return None
