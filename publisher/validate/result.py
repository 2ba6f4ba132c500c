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


def record_label(resource_format: str, row: int) -> str:
    """How a message names a record: CSV rows by row number, features by number."""
    return f"row {row}" if resource_format == "csv" else f"feature {row}"
