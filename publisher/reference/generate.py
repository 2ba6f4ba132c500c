"""The generated files of a checkout: what they should hold, which are stale,
and writing them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from publisher.errors import InputError
from publisher.reference.markdown import rules_page, steps_page
from publisher.reference.schemas import PIPELINE, POLICY, dumps, pipeline_schema, policy_schema
from publisher.reference.settings_page import settings_page

_PAGES: dict[str, Callable[[], str]] = {
    "docs/steps.md": steps_page,
    "docs/RULES.md": rules_page,
    "docs/settings.md": settings_page,
}


def expected(root: Path) -> dict[str, str]:
    """Path (relative to the checkout) -> the text the generator makes. The
    schemas are filled in from the hand-written parts of the files in `root`."""
    out = {f"schemas/{PIPELINE}": dumps(pipeline_schema(_base(root / "schemas" / PIPELINE))),
           f"schemas/{POLICY}": dumps(policy_schema(_base(root / "schemas" / POLICY)))}
    out.update({path: page() for path, page in _PAGES.items()})
    return out


def stale(root: Path) -> list[str]:
    """The generated files that are missing or differ from what the generator makes."""
    return [path for path, text in expected(root).items()
            if not (root / path).is_file() or (root / path).read_text(encoding="utf-8") != text]


def write(root: Path) -> list[str]:
    """Write the stale files; return their paths."""
    changed = []
    for path, text in expected(root).items():
        target = root / path
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


def _base(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise InputError("not a checkout of the publisher: the schema is missing",
                         where=str(path), hint="run it from the repository's root, or give --root")
    base: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return base
