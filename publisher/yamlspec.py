"""YAML files checked against a JSON Schema (pipelines, policies).

Every violation is reported at once, each with its key path and line, so a
steward can fix the file in one pass.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from pydantic import ValidationError

from publisher.errors import InputError, SpecError
from publisher.limits import LimitError
from publisher.package.files import check_regular
from publisher.resources import schemas_dir
from publisher.safeload import LoadError, load_yaml


@dataclass(frozen=True)
class Document:
    """A YAML file's data, and where in the file each of its values is."""

    path: Path
    data: dict[str, Any]
    node: yaml.Node | None = field(default=None, repr=False, compare=False)

    def at(self, parts: Sequence[str | int]) -> str:
        """'steps[1].columns (line 7)': the key path and the line of the value there."""
        return f"{key_path(parts)}{_line(self.node, parts)}"


def read_document(path: Path, schema: str | dict[str, Any], kind: str,
                  hints: dict[str, str] | None = None) -> Document:
    """The YAML mapping in `path`, valid against schemas/<schema> (or the schema
    given), with its lines.
    `hints` (by top-level key) says where to look when a problem lies under that key."""
    if not path.exists() and not path.is_symlink():
        raise SpecError(f"{kind} file not found", where=str(path))
    try:
        check_regular(path, f"the {kind} file", limit="max_descriptor_mb", where=str(path))
        text = path.read_text(encoding="utf-8")
    except InputError as exc:
        raise SpecError(exc.message, where=exc.where, hint=exc.hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        why = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror
        raise SpecError(f"cannot read the {kind} file ({why})", where=str(path)) from None
    try:
        data, node = load_yaml(text)
    except LimitError as exc:
        exc.where = str(path)
        raise
    except LoadError as exc:
        raise SpecError(str(exc).replace("invalid YAML", "not valid YAML", 1),
                        where=str(path)) from None
    if not isinstance(data, dict):
        raise SpecError(f"a {kind} must be a YAML mapping", where=str(path))
    validator = _Validator(_schema(schema) if isinstance(schema, str) else schema,
                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    problems = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    document = Document(path, data, node)
    if problems:
        lines = [f"{document.at(list(e.absolute_path))}: {e.message}" for e in problems]
        keys = {e.absolute_path[0] for e in problems if e.absolute_path}
        hint = "; ".join(h for key, h in (hints or {}).items() if key in keys) or None
        raise SpecError(f"{kind} does not match its schema:\n  " + "\n  ".join(lines),
                        where=str(path), hint=hint)
    return document


def pydantic_problems(exc: ValidationError, prefix: Sequence[str | int],
                      document: Document | None) -> str:
    """A parameter model's errors, each with its key path (under `prefix`) and line."""
    problems = []
    for error in exc.errors():
        parts = [*prefix, *error["loc"]]
        where = document.at(parts) if document is not None else key_path(parts)
        problems.append(f"{where}: {error['msg']}")
    return "; ".join(problems)


def _whole(pattern: str) -> str:
    """A JSON Schema pattern as ECMA-262 reads it: a final `$` is the end of the
    text (Python's also matches before a final line break, which let a name
    like "stadtplan\\n" through)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"\Z"
    return pattern


def _pattern(validator: Any, pattern: str, instance: Any,
             schema: dict[str, Any]) -> Iterator[jsonschema.ValidationError]:
    if validator.is_type(instance, "string") and not re.search(_whole(pattern), instance):
        yield jsonschema.ValidationError(f"{instance[:100]!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator, {"pattern": _pattern})


def key_path(parts: Any) -> str:
    """'steps[1].columns' from ['steps', 1, 'columns']."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _line(node: yaml.Node | None, parts: Any) -> str:
    """' (line N)' for the YAML node at a JSON path, as deep as it can be found (a
    key that is missing: the line of the mapping it is missing from)."""
    for part in parts:
        deeper: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            deeper = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and part < len(node.value):
            deeper = node.value[part]
        if deeper is None:
            break
        node = deeper
    return f" (line {node.start_mark.line + 1})" if node is not None else ""


@cache
def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    return schema
