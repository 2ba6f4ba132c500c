"""What the engine needs to know about one CSV resource, taken from frictionless.

frictionless opens the resource as it would to validate it (encoding and
dialect detection on its sample, the header row, the fields it expects in
which order, the header errors); the engine reads the records itself. Anything
the engine does not handle exactly raises Unsupported, and the resource is
validated by frictionless instead.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from typing import Any

import frictionless as fl
from frictionless import FrictionlessException

from publisher.validate.engine.errors import Unsupported

_UNSUPPORTED_PROPERTIES = ("hash", "bytes", "rows", "fields", "compression", "innerpath")
_DIALECT_DEFAULTS: dict[str, Any] = {
    "header": True, "header_rows": [1], "comment_char": None, "comment_rows": [],
    "skip_blank_rows": False,
}


@dataclass
class ForeignKey:
    fields: list[str]
    resource: str  # the referenced resource (this one for a self-reference)
    reference: list[str]


@dataclass
class Plan:
    name: str
    path: str
    encoding: str  # Python codec name
    delimiter: str
    quote_char: str
    double_quote: bool
    labels: list[str]
    fields: list[Any]  # frictionless Fields, in the order frictionless expects them
    schema: fl.Schema
    header_errors: list[fl.Error] = field(default_factory=list)
    primary_key: list[str] = field(default_factory=list)
    unique: list[str] = field(default_factory=list)
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    referenced: set[str] = field(default_factory=set)  # our fields other resources look up

    @property
    def key_fields(self) -> set[str]:
        names = set(self.primary_key) | set(self.unique) | self.referenced
        for key in self.foreign_keys:
            names |= set(key.fields)
        return names


def _csv_control(resource: Any) -> Any:
    dialect = resource.dialect
    for name, default in _DIALECT_DEFAULTS.items():
        if getattr(dialect, name, default) != default:
            raise Unsupported(f"dialect option {name}")
    control = (dialect.get_control("csv") if dialect.has_control("csv")
               else fl.formats.CsvControl())  # type: ignore[attr-defined]
    if control.escape_char or control.skip_initial_space:
        raise Unsupported("dialect escapeChar or skipInitialSpace")
    if (control.quote_char or '"') in "\r\n" or len(control.delimiter or ",") != 1:
        raise Unsupported("unusual delimiter or quote character")
    return control


def make_plan(tabular: fl.Resource, name: str) -> Plan:
    """Open a frictionless resource just far enough to plan the engine's pass."""
    descriptor = tabular.to_descriptor()
    for key in _UNSUPPORTED_PROPERTIES:
        if descriptor.get(key):
            raise Unsupported(f"resource property '{key}'")
    if tabular.format != "csv" or not isinstance(tabular.path, str):
        raise Unsupported("not a CSV file")
    try:
        probe = tabular.to_copy()
    except fl.FrictionlessException as exc:  # e.g. a name frictionless does not accept
        raise Unsupported("frictionless refuses the resource descriptor") from exc
    if tabular.schema is not None:
        # A schema of its own, without foreign keys: the engine does the lookups.
        probe.schema = fl.Schema.from_descriptor(tabular.schema.to_descriptor())
        probe.schema.foreign_keys = []
    try:
        with probe:
            if not isinstance(probe, fl.resources.TableResource):
                raise Unsupported("not a table")
            if not (probe.labels or probe.fragment):
                raise Unsupported("empty source")
            control = _csv_control(probe)
            encoding = codecs.lookup(str(probe.encoding)).name
            plan = Plan(
                name=name, path=str(probe.normpath), encoding=encoding,
                delimiter=control.delimiter or ",", quote_char=control.quote_char or '"',
                double_quote=bool(control.double_quote), labels=list(probe.labels),
                fields=list(probe.header.get_expected_fields()), schema=probe.schema,
                header_errors=list(probe.header.errors))
            schema = tabular.schema
    except FrictionlessException as exc:
        raise Unsupported("frictionless reports a problem when opening it") from exc
    names = {f.name for f in plan.fields}
    if schema.primary_key and set(schema.primary_key) <= names:
        plan.primary_key = list(schema.primary_key)
    plan.unique = [f.name for f in plan.fields if f.constraints.get("unique")]
    for foreign in schema.foreign_keys:
        spec: dict[str, Any] = dict(foreign)
        if not set(spec["fields"]) <= names:
            continue
        target = spec["reference"].get("resource") or name
        plan.foreign_keys.append(ForeignKey(list(spec["fields"]), target,
                                            list(spec["reference"]["fields"])))
    return plan
