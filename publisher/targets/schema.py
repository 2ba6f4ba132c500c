"""The pipeline schema's `target` part, generated from the registered targets'
Options models: `publisher run` checks a pipeline against it (so a target
registered from outside the package is checked like a shipped one), and
`python -m publisher.reference` writes it into schemas/pipeline.schema.json."""

from __future__ import annotations

import builtins
import copy
import sys
from typing import Any

from publisher.params_schema import DEFS, models_schema
from publisher.targets.base import Target, targets

PREFIX = "target"


def target_defs() -> dict[str, Any]:
    """`$defs` entries: `target` (a `type` naming a registered target, then that
    target's options) and `target.<type>` for each."""
    classes: list[builtins.type[Target[Any]]] = [targets.get(t) for t in targets.types()]
    refs, defs = models_schema(list(dict.fromkeys(c.Options for c in classes)))
    names = {str(ref["$ref"]).removeprefix(DEFS) for ref in refs.values()}
    out = {name: d for name, d in defs.items() if name not in names}
    for cls in classes:
        schema = copy.deepcopy(defs[str(refs[cls.Options]["$ref"]).removeprefix(DEFS)])
        schema.pop("title", None)
        schema["properties"] = {"type": {"const": cls.type}, **schema.get("properties", {})}
        schema["required"] = ["type", *schema.get("required", [])]
        schema["description"] = f"{cls.type}: {_summary(cls)}"
        out[f"{PREFIX}.{cls.type}"] = schema
    out[PREFIX] = {
        "type": "object",
        "description": "Where the dataset is published: `type` names a registered target, "
                       "the other keys are its options.",
        "required": ["type"],
        "properties": {"type": {"enum": [c.type for c in classes],
                                "description": "A registered target type."}},
        "allOf": [{"if": {"required": ["type"], "properties": {"type": {"const": c.type}}},
                   "then": {"$ref": f"{DEFS}{PREFIX}.{c.type}"}} for c in classes],
    }
    return out


def with_targets(schema: dict[str, Any]) -> dict[str, Any]:
    """The pipeline SCHEMA with its `target` part made from the registry (a copy)."""
    out = copy.deepcopy(schema)
    out["properties"]["target"] = {"$ref": f"{DEFS}{PREFIX}"}
    defs = {k: v for k, v in out.get("$defs", {}).items()
            if k != PREFIX and not k.startswith(f"{PREFIX}.")}
    out["$defs"] = dict(sorted({**defs, **target_defs()}.items()))
    return out


def _summary(cls: builtins.type[Target[Any]]) -> str:
    """The first paragraph of the target's module docstring, on one line."""
    doc = sys.modules[cls.__module__].__doc__ or ""
    return " ".join(doc.strip().split("\n\n")[0].split())
