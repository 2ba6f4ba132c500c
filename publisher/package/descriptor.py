"""Reading descriptor files (datapackage.json / .yaml, schema files).

Parse errors name the file, line and column. YAML dates and timestamps are kept
as ISO text so that a descriptor written back out is plain JSON again.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from publisher.errors import InputError
from publisher.limits import LimitError
from publisher.package.files import check_regular
from publisher.safeload import LoadError, load_json, load_yaml

DESCRIPTOR_NAMES = ("datapackage.json", "datapackage.yaml", "datapackage.yml")
_YAML_SUFFIXES = (".yaml", ".yml")


def _plain(value: Any) -> Any:
    """YAML values made JSON-safe: dates as ISO text, keys as text (the nesting
    is bounded by the limits, checked when the YAML was read)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def parse_file(path: Path) -> Any:
    """The parsed JSON or YAML content of `path` (format by extension): a regular
    file within the descriptor size, nesting and YAML limits (publisher.limits)."""
    where = str(path)
    check_regular(path, "the file", limit="max_descriptor_mb", where=where)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("descriptor is not valid UTF-8 text", where=where) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", where=where) from exc
    try:
        if path.suffix.lower() in _YAML_SUFFIXES:
            return _plain(load_yaml(text)[0])
        return load_json(text)
    except LimitError as exc:
        exc.where = where
        raise
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", where=where
        ) from None
    except LoadError as exc:
        message = str(exc)
        if path.suffix.lower() not in _YAML_SUFFIXES and not message.startswith("not valid"):
            message = f"not valid JSON: {message}"
        raise InputError(message, where=where) from None


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
    # not only regular files: a FIFO or a link to a device is refused by name when read
    found = [directory / n for n in DESCRIPTOR_NAMES
             if (directory / n).is_symlink() or (directory / n).exists()]
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise InputError(
            f"more than one package descriptor ({names}); keep only one", where=str(directory)
        )
    return found[0] if found else None
