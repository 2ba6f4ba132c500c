"""licence-discouraged: open licences that are a poor fit for data (RULES.md section 4, "Warn").

Two kinds, both marked in schemas/licences.yaml:
- software licences used for data (MIT, Apache-2.0, GPL, MPL, GFDL ...): they
  speak of source code and binaries and leave a data user unsure what
  attribution or share-alike means for a table;
- old versions (CC BY 3.0 AT / DE / unported, CC BY 2.x, DL-DE BY 1.0, CC BY-SA
  3.0 ...): `superseded_by` names the current version to move to.

Only the licences a package publishes under are checked (the package's and
each resource's `licenses`), not its sources': an input's licence is not the
publisher's choice. Unknown, missing and non-open licences are left to
licence-allowlist, which blocks them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from publisher.licences import Licence, crosswalk, matches_of, normalise
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import Rule, RuleParams, rules


def _known_licence(value: str) -> str:
    if normalise(value) is None:
        raise ValueError(f"unknown licence '{value}': use an id from schemas/licences.yaml")
    return value


class LicenceDiscouragedParams(RuleParams):
    software: bool = Field(True, description="Warn about software licences used for data.")
    old_versions: bool = Field(True, description="Warn about superseded licence versions.")
    ignore: list[Annotated[str, AfterValidator(_known_licence)]] = Field(
        default_factory=list,
        description="Licences never warned about (any vocabulary), e.g. CC BY 3.0 AT that a "
                    "contract requires.")


@rules.register
class LicenceDiscouraged(Rule[LicenceDiscouragedParams]):
    type = "licence-discouraged"
    example = """\
- id: licence-discouraged
  type: licence-discouraged
  severity: warn
  params:
    software: true
    old_versions: true
    ignore: [cc-by-at/3.0]
"""
    default_severity = Severity.WARN

    def check(self, package: Package) -> Iterable[Finding]:
        yield from self._check(_entries(package.descriptor), None)
        for resource in package.resources:
            yield from self._check(_entries(resource.descriptor), resource.name)

    def _check(self, entries: list[Any], resource: str | None) -> Iterator[Finding]:
        owner = "the resource" if resource else "the package"
        seen: list[Licence] = []
        for entry in entries:
            if not isinstance(entry, str | dict):
                continue
            for licence in matches_of(entry):
                if licence in seen or not licence.is_open or self._ignored(licence):
                    continue
                seen.append(licence)
                finding = self._about(licence, owner, resource)
                if finding is not None:
                    yield finding

    def _about(self, licence: Licence, owner: str, resource: str | None) -> Finding | None:
        if licence.software and self.params.software:
            return self.finding(
                f"{owner}'s licence '{licence.id}' is a software licence: it speaks of "
                "programs and source code, not of data", resource=resource,
                hint=f"publish the data under a data licence, e.g. {_suggestion(licence)}")
        if licence.superseded_by and self.params.old_versions:
            current = crosswalk().get(licence.superseded_by)
            assert current is not None  # checked when the crosswalk is loaded
            return self.finding(
                f"{owner}'s licence '{licence.id}' is an old version; the current one "
                f"is '{current.id}'", resource=resource,
                hint=f"move to {current.id} ({current.url or current.uri}) where the "
                     "rights holder agrees")
        return None

    def _ignored(self, licence: Licence) -> bool:
        return any(normalise(value) == licence for value in self.params.ignore)


def _suggestion(licence: Licence) -> str:
    """A data licence of the same kind: share-alike stays share-alike."""
    if licence.kind == "share-alike":
        return "cc-by-sa/4.0 or odbl"
    if licence.kind == "public-domain":
        return "cc-zero or dl-zero-de/2.0"
    return "cc-by/4.0 or dl-by-de/2.0"


def _entries(descriptor: dict[str, Any]) -> list[Any]:
    licences = descriptor.get("licenses")
    if not licences:
        return []
    return list(licences) if isinstance(licences, list) else [licences]
