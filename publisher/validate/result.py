"""What one check of one resource hands back to validate_package."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from publisher.report import Finding


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def record_noun(resource_format: str) -> str:
    """How a message names a record of the format: 'row' (tables) or 'feature'."""
    from publisher.package.readers import input_format

    fmt = input_format(resource_format)
    return fmt.record if fmt is not None else "feature"


def record_label(resource_format: str, row: int) -> str:
    """How a message names a record: table rows by row number, features by number."""
    return f"{record_noun(resource_format)} {row}"
