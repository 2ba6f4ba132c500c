"""licence-allowlist: the package and each resource carry an allowed, open licence.

Block reasons (RULES.md section 4): no licence at all (never fall back to a
closed licence silently), a licence the crosswalk does not know, a
non-commercial / no-derivatives / closed licence, or a known licence that the
policy does not allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from publisher.licences import NOT_OPEN, Licence, describe, matches_of, normalise
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import Rule, RuleParams, rules


def _known_licence(value: str) -> str:
    if normalise(value) is None:
        raise ValueError(f"unknown licence '{value}': use an id from schemas/licences.yaml")
    return value


class LicenceAllowlistParams(RuleParams):
    allowed: list[Annotated[str, AfterValidator(_known_licence)]] = Field(
        min_length=1, description="The licences allowed, by id in any vocabulary of the "
                                  "crosswalk (schemas/licences.yaml).")


@rules.register
class LicenceAllowlist(Rule[LicenceAllowlistParams]):
    type = "licence-allowlist"
    example = """\
- id: licence-allowlist
  type: licence-allowlist
  severity: block
  params:
    allowed: [dl-zero-de/2.0, dl-by-de/2.0, cc-by/4.0, cc-zero]
"""
    default_severity = Severity.BLOCK

    @property
    def allowed(self) -> list[Licence]:
        out: list[Licence] = []
        for value in self.params.allowed:
            licence = normalise(value)
            if licence is not None and licence not in out:
                out.append(licence)
        return out

    def _set_hint(self) -> str:
        ids = ", ".join(licence.id for licence in self.allowed)
        return (f"set 'licenses' to one of: {ids} (e.g. "
                f"{{\"name\": \"{self.allowed[0].od or self.allowed[0].id}\", "
                f"\"path\": \"{self.allowed[0].url or self.allowed[0].uri}\"}})")

    def check(self, package: Package) -> Iterable[Finding]:
        unlicensed = [r.name for r in package.resources if not _entries(r.descriptor)]
        package_entries = _entries(package.descriptor)
        if not package_entries and unlicensed:
            if len(unlicensed) == len(package.resources):
                yield self.finding("the package has no licence", hint=self._set_hint())
            else:
                for name in unlicensed:
                    yield self.finding("the resource has no licence and the package none "
                                       "to inherit", resource=name, hint=self._set_hint())
        yield from self._check_entries(package_entries, None)
        for resource in package.resources:
            yield from self._check_entries(_entries(resource.descriptor), resource.name)

    def _check_entries(self, entries: list[Any], resource: str | None) -> Iterator[Finding]:
        owner = "the resource" if resource else "the package"
        hint = self._set_hint()
        allowed = self.allowed
        for entry in entries:
            if not isinstance(entry, str | dict):
                yield self.finding(f"{owner} has a licence entry that is not understood",
                                   resource=resource, hint=hint)
                continue
            found = matches_of(entry)
            given = describe(entry)
            if not found:
                yield self.finding(f"{owner}'s licence '{given}' is unknown",
                                   resource=resource, hint=hint)
            elif len(found) > 1:
                names = " and ".join(f"'{licence.id}'" for licence in found)
                yield self.finding(f"{owner}'s licence entry names both {names}",
                                   resource=resource, hint=hint)
            elif found[0].kind in NOT_OPEN:
                yield self.finding(f"{owner}'s licence '{found[0].id}' cannot be published "
                                   f"as open data: {NOT_OPEN[found[0].kind]}",
                                   resource=resource, hint=hint)
            elif found[0] not in allowed:
                yield self.finding(f"{owner}'s licence '{found[0].id}' is not one the "
                                   "policy allows", resource=resource, hint=hint)


def _entries(descriptor: dict[str, Any]) -> list[Any]:
    licences = descriptor.get("licenses")
    if licences is None or licences == []:
        return []
    return list(licences) if isinstance(licences, list) else [licences]
