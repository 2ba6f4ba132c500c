"""A registry of plugin classes keyed by their `type` id (rules, steps, targets).

Members live one class per file in a package; `discover` imports every module
of that package so that each file's `@registry.register` runs.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Generic, Protocol, TypeVar

from publisher.errors import SpecError


class _Typed(Protocol):
    type: str


T = TypeVar("T", bound=type)


class Registry(Generic[T]):
    def __init__(self, kind: str, package: str):
        self.kind = kind
        self.package = package
        self._members: dict[str, T] = {}
        self._discovered = False

    def register(self, cls: T) -> T:
        type_id: str = cls.type  # type: ignore[attr-defined]
        if type_id in self._members and self._members[type_id] is not cls:
            raise ValueError(f"{self.kind} type '{type_id}' registered twice")
        self._members[type_id] = cls
        return cls

    def unregister(self, type_id: str) -> None:
        """Forget a member registered from outside the package (tests, plugins)."""
        self._members.pop(type_id, None)

    def discover(self) -> None:
        if self._discovered:
            return
        module = importlib.import_module(self.package)
        for info in pkgutil.iter_modules(module.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{self.package}.{info.name}")
        self._discovered = True

    def get(self, type_id: str, *, where: str | None = None) -> T:
        self.discover()
        try:
            return self._members[type_id]
        except KeyError:
            known = ", ".join(sorted(self._members))
            raise SpecError(f"unknown {self.kind} type '{type_id}' (known: {known})",
                            where=where) from None

    def types(self) -> list[str]:
        self.discover()
        return sorted(self._members)
