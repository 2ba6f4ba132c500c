"""A registry of plugin classes keyed by their `type` id (rules, steps, targets).

Members live one class per file in a package; `discover` imports every module
of that package so that each file's `@registry.register` runs.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Generic, Protocol, TypeVar, get_args

from publisher.errors import SpecError


class _Typed(Protocol):
    type: str


T = TypeVar("T", bound=type)
M = TypeVar("M")


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


def params_class(cls: type, base: type[Any]) -> type[Any]:
    """A plugin class's parameters model: the type argument of its class header
    (`class X(Rule[XParams])`), else its parent's. Declared once, in the header: a
    `Params` set in the class body as well is refused."""
    found = next((arg for origin in cls.__dict__.get("__orig_bases__", ())
                  for arg in get_args(origin) if isinstance(arg, type) and issubclass(arg, base)),
                 None)
    if "Params" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: name the parameters in the class header "
                        f"({cls.__bases__[0].__name__}[{cls.__dict__['Params'].__name__}]), "
                        "not as `Params`")
    return found if found is not None else getattr(cls, "Params", base)


def checked_params(plugin: Any, params: M) -> M:
    """`params`, if it is an instance of the plugin's parameters model."""
    if not isinstance(params, plugin.Params):
        raise TypeError(f"{plugin.type} takes {plugin.Params.__name__}, not "
                        f"{type(params).__name__}")
    return params
