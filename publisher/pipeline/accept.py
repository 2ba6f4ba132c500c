"""Accepted warnings: the pipeline's `accept:` list.

After the re-check a warning still stops publication unless an entry of the
pipeline's `accept:` names it: its rule (the rule's id in the policy) and,
when the warning names them, its resource and its field, each exactly, with a
reason. One entry covers every finding of its rule at that place (all rows of
a column). Only warnings can be accepted: an entry that names a blocking
finding is reported and changes nothing; an entry that matches nothing is
reported, not fatal. Info findings need no acceptance.

A steward may accept a warning in the console as well: such entries are kept
in the home, not in the pipeline (publisher.pipeline.steward_accept), carry
who decided and when, and are judged after the pipeline's own entries
(labelled `steward-accept[i]`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from publisher.report import Finding, Report, Severity

PLACEHOLDER = "<why publishing this is right, and who decided it>"


class Acceptance(BaseModel):
    """One entry of `accept:`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str
    resource: str | None = None
    field: str | None = None
    reason: str
    by: str | None = None  # who decided (steward acceptances)
    at: str | None = None  # when (ISO 8601, UTC)

    @field_validator("reason")
    @classmethod
    def _given(cls, reason: str) -> str:
        if reason.strip() == PLACEHOLDER:
            raise ValueError("write the reason in place of the placeholder")
        return reason

    def matches(self, finding: Finding) -> bool:
        return ((finding.rule or finding.type) == self.rule
                and finding.resource == self.resource and finding.field == self.field)

    @property
    def where(self) -> str:
        parts = [f"rule '{self.rule}'"]
        if self.resource is not None:
            parts.append(f"resource '{self.resource}'")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


@dataclass
class Use:
    """What one entry covered in the re-check."""

    index: int
    entry: Acceptance
    source: str = "accept"  # or "steward-accept": the console's entries
    warnings: int = 0  # warning findings it accepted
    occurrences: int = 0  # what they stand for (Finding.count)
    blocking: int = 0  # blocking findings it names: not accepted

    @property
    def label(self) -> str:
        return f"{self.source}[{self.index}]"

    def to_dict(self) -> dict[str, Any]:
        unset = {k for k in ("by", "at") if getattr(self.entry, k) is None}
        return {"entry": self.label, **self.entry.model_dump(exclude=unset),
                "warnings": self.warnings, "occurrences": self.occurrences,
                "blocking": self.blocking}


@dataclass
class Verdict:
    """The re-check's warnings against the pipeline's `accept:` list."""

    uses: list[Use] = field(default_factory=list)
    unaccepted: list[Finding] = field(default_factory=list)
    accepted: list[tuple[Finding, Acceptance]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # entries that name blocking findings
    unused: list[str] = field(default_factory=list)  # entries that match nothing
    _reasons: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def notes(self) -> list[str]:
        return [*self.refused, *self.unused]

    @property
    def blocks(self) -> bool:
        return bool(self.unaccepted)

    def reason_for(self, finding: Finding) -> str | None:
        """The reason the pipeline gives for publishing with this warning, if any."""
        if len(self._reasons) != len(self.accepted):
            self._reasons = {id(f): entry.reason for f, entry in self.accepted}
        return self._reasons.get(id(finding))

    def to_dict(self) -> dict[str, Any]:
        return {"entries": [u.to_dict() for u in self.uses],
                "accepted_warnings": len(self.accepted),
                "unaccepted_warnings": len(self.unaccepted), "notes": self.notes}


def judge(report: Report, entries: list[Acceptance],
          steward: list[Acceptance] | None = None) -> Verdict:
    """Which warnings of the re-check the entries (the pipeline's, then the
    steward's) accept, and which remain."""
    verdict = Verdict(uses=[Use(i, entry) for i, entry in enumerate(entries)]
                      + [Use(i, entry, "steward-accept") for i, entry in enumerate(steward or [])])
    for finding in report.findings:
        if finding.severity is Severity.INFO:
            continue
        use = next((u for u in verdict.uses if u.entry.matches(finding)), None)
        if finding.severity.blocks:
            if use is not None:
                use.blocking += 1
            continue
        if use is None:
            verdict.unaccepted.append(finding)
            continue
        use.warnings += 1
        use.occurrences += finding.occurrences
        verdict.accepted.append((finding, use.entry))
    for use in verdict.uses:
        label = f"{use.label} ({use.entry.where})"
        if use.blocking:
            verdict.refused.append(f"{label} names {use.blocking} blocking finding(s): only "
                                   "warnings can be accepted; they still block")
        elif not use.warnings:
            verdict.unused.append(f"{label} matches no warning of the re-check"
                                  + _same_rule(report, use.entry))
    return verdict


def _same_rule(report: Report, entry: Acceptance) -> str:
    places = sorted({_place(f) for f in report.findings
                     if (f.rule or f.type) == entry.rule and not f.severity.blocks
                     and f.severity is not Severity.INFO})
    return f"; the rule warns at: {'; '.join(places)}" if places else ""


def _place(f: Finding) -> str:
    parts = [f"resource '{f.resource}'" if f.resource else "the package"]
    if f.field:
        parts.append(f"field '{f.field}'")
    return ", ".join(parts)


def groups(findings: list[Finding]) -> dict[tuple[str, str | None, str | None], list[Finding]]:
    """Findings by what an acceptance names: rule, resource, field."""
    out: dict[tuple[str, str | None, str | None], list[Finding]] = {}
    for f in findings:
        out.setdefault((f.rule or f.type, f.resource, f.field), []).append(f)
    return out


def entries_to_add(findings: list[Finding]) -> str:
    """The `accept:` entries that would accept these warnings, as YAML to paste."""
    entries = []
    for rule, resource, field_name in groups(findings):
        entry: dict[str, str] = {"rule": rule}
        if resource is not None:
            entry["resource"] = resource
        if field_name is not None:
            entry["field"] = field_name
        entry["reason"] = PLACEHOLDER
        entries.append(entry)
    text: str = yaml.dump({"accept": entries}, Dumper=_Indented, sort_keys=False,
                          allow_unicode=True, width=100)
    return text


class _Indented(yaml.SafeDumper):
    """Lists indented under their key, as the shipped pipelines write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)
