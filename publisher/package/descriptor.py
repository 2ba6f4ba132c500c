"""Reading descriptor files (datapackage.json / .yaml, schema files).

Parse errors name the file, line and column. YAML dates and timestamps are kept
as ISO text so that a descriptor written back out is plain JSON again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml

from publisher.errors import InputError

DESCRIPTOR_NAMES = ("datapackage.json", "datapackage.yaml", "datapackage.yml")
_YAML_SUFFIXES = (".yaml", ".yml")


MAX_NODES = 1_000_000  # YAML aliases can make a small file expand without bound


class _TooBig(Exception):
    pass


def _plain(value: Any, budget: list[int]) -> Any:
    """YAML values made JSON-safe: dates as ISO text, keys as text. Every value
    visited spends one of `budget`, so nested aliases ("billion laughs") stop."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig
    if isinstance(value, dict):
        return {str(k): _plain(v, budget) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, budget) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (only finite numbers are)")


def parse_file(path: Path) -> Any:
    """The parsed JSON or YAML content of `path` (format by extension)."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("descriptor is not valid UTF-8 text", where=where) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", where=where) from exc
    if path.suffix.lower() in _YAML_SUFFIXES:
        try:
            return _plain(yaml.safe_load(text), [MAX_NODES])
        except _TooBig:
            raise InputError(
                f"the YAML expands to too many nodes (more than {MAX_NODES}); "
                "nested aliases are not allowed to grow it without bound",
                where=where,
            ) from None
        except RecursionError:
            raise InputError("the YAML is nested too deeply", where=where) from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "invalid YAML"
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise InputError(f"invalid YAML{at}: {problem}", where=where) from exc
    try:
        return json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise InputError("the JSON is nested too deeply", where=where) from None
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):
            raise InputError(f"not valid JSON: {exc}", where=where) from None
        raise InputError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", where=where
        ) from exc


def read_descriptor(path: Path) -> dict[str, Any]:
    """A package descriptor: a JSON/YAML object."""
    data = parse_file(path)
    if not isinstance(data, dict):
        raise InputError(
            f"descriptor must be an object, not {type(data).__name__}", where=str(path)
        )
    return data


def find_descriptor(directory: Path) -> Path | None:
    """The one descriptor file in `directory`; InputError if there are several."""
    found = [directory / n for n in DESCRIPTOR_NAMES if (directory / n).is_file()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(
            f"more than one package descriptor ({names}); keep only one", where=str(directory)
        )
    return found[0] if found else None
