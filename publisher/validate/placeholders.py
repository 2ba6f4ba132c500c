"""Placeholders that `publisher init` leaves in a descriptor for the steward to fill.

A placeholder is a text starting with "FILL IN:", followed by what belongs
there and how to give it (the licence with `publisher init --license ...`).
Each one still in the descriptor is an error finding naming its key path, so
a package is not published with a placeholder for its licence or publisher.
"""

from __future__ import annotations

from typing import Any

from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.validate.result import CheckResult
from publisher.yamlspec import key_path

PREFIX = "FILL IN:"
CHECK = "placeholders"


def placeholder(what: str) -> str:
    """The placeholder text for a value still to be given: 'FILL IN: <what>'."""
    return f"{PREFIX} {what}"


def _walk(value: Any, path: list[str | int]) -> list[tuple[list[str | int], str]]:
    if isinstance(value, str):
        return [(path, value)] if value.startswith(PREFIX) else []
    if isinstance(value, dict):
        return [hit for key, item in value.items() for hit in _walk(item, [*path, str(key)])]
    if isinstance(value, list):
        return [hit for i, item in enumerate(value) for hit in _walk(item, [*path, i])]
    return []


def check_placeholders(package: Package) -> CheckResult:
    findings = []
    for path, text in _walk(package.descriptor, []):
        resource = None
        if len(path) > 1 and path[0] == "resources" and isinstance(path[1], int):
            items = package.descriptor["resources"]
            resource = str(items[path[1]].get("name")) if isinstance(items[path[1]], dict) \
                else None
        what = text[len(PREFIX):].strip()[:200]
        findings.append(Finding(
            type="placeholder", severity=Severity.ERROR, resource=resource, rule=CHECK,
            message=f"the descriptor's {key_path(path)} is still a placeholder: {what}",
            hint="fill it in in datapackage.json, or run publisher init again with the flag "
                 "the placeholder names"))
    return CheckResult(findings=findings, stats={"checks": [CHECK]})
