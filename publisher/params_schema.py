"""JSON Schemas of parameter models (pydantic), as the pipeline and policy schemas
carry them, and their parameters as rows for people (CLI and docs).

pydantic writes the schema; this module adds what it leaves out for an editor:
defaults made by a factory (`Field(default_factory=list)` shows as `[]`), and
drops the titles it makes up from field names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import (
    GenerateJsonSchema,
    JsonSchemaValue,
    NoDefault,
    models_json_schema,
)
from pydantic_core import core_schema

DEFS = "#/$defs/"


class _Schema(GenerateJsonSchema):
    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            return factory()  # type: ignore[call-arg]
        return super().get_default_value(schema)

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def models_schema(models: Sequence[type[BaseModel]]
                  ) -> tuple[dict[type[BaseModel], JsonSchemaValue], dict[str, JsonSchemaValue]]:
    """Each model's schema (a `$ref` into the shared definitions) and the definitions."""
    refs, top = models_json_schema([(m, "validation") for m in models],
                                   ref_template=DEFS + "{model}", schema_generator=_Schema)
    return ({model: refs[(model, "validation")] for model in models},
            dict(top.get("$defs", {})))


@dataclass(frozen=True)
class Param:
    """One parameter as people read it."""

    name: str
    type: str  # "integer >= 1", "list of string", "one of: block, suppress"
    required: bool
    default: Any  # NoDefault when required or without a default
    description: str

    @property
    def default_text(self) -> str:
        if self.required:
            return "required"
        if self.default is NoDefault or self.default is None:
            return "-"
        return json.dumps(self.default, ensure_ascii=False)


def params_of(schema: JsonSchemaValue, defs: dict[str, JsonSchemaValue],
              skip: Sequence[str] = ()) -> list[Param]:
    """The parameters of an object schema, in declaration order."""
    required = set(schema.get("required", []))
    return [Param(name=name, type=type_text(prop, defs), required=name in required,
                  default=prop.get("default", NoDefault),
                  description=str(prop.get("description", "")))
            for name, prop in schema.get("properties", {}).items() if name not in skip]


def resolve(schema: JsonSchemaValue, defs: dict[str, JsonSchemaValue]) -> JsonSchemaValue:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFS):
        return resolve(defs[ref.removeprefix(DEFS)], defs)
    return schema


def type_text(schema: JsonSchemaValue, defs: dict[str, JsonSchemaValue]) -> str:
    """A short type for people: 'integer >= 1', 'list of string', 'one of: a, b'."""
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if options:
        return " or ".join(type_text(s, defs) for s in options)
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix(DEFS)
        target = resolve(schema, defs)
        keys = " | ".join(target.get("properties", {}))
        return f"{name.lower()} {{{keys}}}" if keys else name.lower()
    if "enum" in schema:
        return "one of: " + ", ".join(json.dumps(v, ensure_ascii=False) if not isinstance(v, str)
                                      else v for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items") or {}
        text = f"list of {type_text(items, defs)}" if items else "list"
        return text + _sizes(schema, "minItems", "maxItems", "item")
    if kind == "object":
        values = schema.get("additionalProperties")
        return f"mapping to {type_text(values, defs)}" if isinstance(values, dict) else "mapping"
    text = str(kind or "any")
    bounds = [f"{op} {schema[key]}" for key, op in (("minimum", ">="), ("exclusiveMinimum", ">"),
                                                     ("maximum", "<="), ("exclusiveMaximum", "<"))
              if key in schema]
    if bounds:
        text += " " + ", ".join(bounds)
    if "pattern" in schema:
        text += f" matching {schema['pattern']}"
    return text


def _sizes(schema: JsonSchemaValue, low: str, high: str, unit: str) -> str:
    lo, hi = schema.get(low), schema.get(high)
    if lo is not None and lo == hi:
        return f", exactly {lo} {unit}s"
    parts = [f"at least {lo} {unit}{'s' if lo != 1 else ''}" if lo else "",
             f"at most {hi} {unit}s" if hi is not None else ""]
    text = " and ".join(p for p in parts if p)
    return f", {text}" if text else ""
