"""Findings and reports as plain data.

Every validation error and policy finding is a Finding; a stage of a run
produces one Report. Reports serialise to JSON and back without loss.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # the data break their own schema or geometry: cannot publish
    BLOCK = "block"  # a policy rule forbids publishing as is
    WARN = "warn"
    INFO = "info"

    @property
    def blocks(self) -> bool:
        return self in (Severity.ERROR, Severity.BLOCK)


# Not frozen: a large file makes tens of thousands, and a frozen dataclass
# is slower to build (each field is set through object.__setattr__).
@dataclass(slots=True)
class Finding:
    type: str
    message: str
    severity: Severity = Severity.ERROR
    resource: str | None = None
    row: int | None = None
    field: str | None = None
    rule: str | None = None
    sample: str | None = None  # always masked: never a full raw value
    hint: str | None = None
    # How many occurrences the finding stands for when it sums up several that are
    # not listed one by one (e.g. "412 more cells of this column"); None: one.
    count: int | None = None

    @property
    def occurrences(self) -> int:
        return 1 if self.count is None else self.count

    @property
    def where(self) -> str:
        parts = []
        if self.resource:
            parts.append(f"resource '{self.resource}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts) or "package"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        known: dict[str, Any] = {k: data.get(k) for k in cls.__dataclass_fields__}
        known["severity"] = Severity(data.get("severity", "error"))
        return cls(**known)


_WORST = (Severity.ERROR, Severity.BLOCK, Severity.WARN, Severity.INFO)


@dataclass
class ColumnSummary:
    """The findings of one rule on one column (or resource, or the package)."""

    rule: str
    resource: str | None
    field: str | None
    severity: Severity  # the worst of them
    findings: int  # findings listed in the report
    occurrences: int  # what they stand for, summary findings counted by their `count`

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data


@dataclass
class Report:
    stage: str
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)  # what the policy does not look at

    @property
    def valid(self) -> bool:
        return not any(f.severity.blocks for f in self.findings)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.blocks]

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def extend(self, findings: list[Finding] | Report) -> None:
        self.findings.extend(findings.findings if isinstance(findings, Report) else findings)

    def counts(self) -> dict[str, int]:
        return dict(Counter(str(f.severity) for f in self.findings))

    def by_column(self) -> list[ColumnSummary]:
        """Findings summarised by rule and column, worst first, then in report order:
        every column a rule found something in is named, with its count, even where
        the rule listed only some of the findings one by one."""
        groups: dict[tuple[str, str | None, str | None], ColumnSummary] = {}
        for f in self.findings:
            key = (f.rule or f.type, f.resource, f.field)
            group = groups.get(key)
            if group is None:
                groups[key] = ColumnSummary(key[0], f.resource, f.field, f.severity, 1,
                                            f.occurrences)
                continue
            group.findings += 1
            group.occurrences += f.occurrences
            if _WORST.index(f.severity) < _WORST.index(group.severity):
                group.severity = f.severity
        return sorted(groups.values(), key=lambda g: _WORST.index(g.severity))

    def summary(self) -> dict[str, Any]:
        """Counts and names only, no samples: safe for logs and journals."""
        by_type = Counter(f"{f.severity}:{f.type}" for f in self.findings)
        return {"stage": self.stage, "valid": self.valid, "counts": self.counts(),
                "by_type": dict(sorted(by_type.items())),
                "by_column": [g.to_dict() for g in self.by_column()]}

    def to_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "valid": self.valid,
            "counts": self.counts(),
            "stats": self.stats,
            "notes": self.notes,
            "not_checked": self.not_checked,
            "by_column": [g.to_dict() for g in self.by_column()],
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        return cls(
            stage=data["stage"],
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            stats=dict(data.get("stats", {})),
            notes=list(data.get("notes", [])),
            not_checked=list(data.get("not_checked", [])),
        )
