"""Is a resource personal data? Shared by the geodata rules (RULES.md section 2).

Point data are personal when they can belong to a person (a defect report, a
private charging point); trees and public stops are not. The answer, first
that applies:

1. the policy rule's params: `personal_resources` / `non_personal_resources`
   (resource names), for a city policy that extends a shipped one;
2. the data package: a boolean `personal` on the resource, else on the package
   descriptor (a custom Frictionless property). `true` is taken as it is;
   `false` only where no evidence contradicts it (issue 24: a self-declaration
   must not override evidence). A column named for a direct identifier
   (`melder_email`), a direct identifier found in a text cell (not a street
   address: trees and sites stand at addresses), a column whose values are
   mostly person names, or an exact position written as text make the resource
   personal all the same, and `overridden` says why for the finding;
3. evidence: a column name that suggests personal data (personal-column-names;
   not the name of a thing such as `stop_name`), a direct identifier found in a
   text cell, or a column whose values are mostly person names
   (person-name-in-text) makes the resource personal;
4. otherwise the resource is undeclared.

A rule reports personal resources at its own severity, undeclared ones at
`undeclared_severity` (default warn: a steward should declare them) and
declared non-personal ones at `non_personal_severity` (default info), so a
tree cadastre at full precision never blocks.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from publisher.detect.names import DEFAULT_COLUMN_SHARE
from publisher.package.batches import text_columns
from publisher.package.model import Package, Resource
from publisher.report import Severity
from publisher.rules._identifiers import scan_resource
from publisher.rules._positions import resource_positions
from publisher.rules.base import RuleParams
from publisher.rules.personal_column_names import judge, suggests_personal

# identifier kinds that do not make a resource declared non-personal personal: public
# trees, sites and offices stand at street addresses
_NOT_CONTRADICTING = frozenset({"street-address"})


class Personal(StrEnum):
    YES = "personal"
    NO = "not personal"
    UNDECLARED = "undeclared"


class PersonalParams(RuleParams):
    personal_resources: list[str] = Field(default_factory=list,
                                          description="Resources taken as personal data.")
    non_personal_resources: list[str] = Field(
        default_factory=list, description="Resources taken as not personal (trees, stops).")
    undeclared_severity: Literal["block", "warn", "info"] = Field(
        "warn", description="Severity for a resource that is neither declared nor shown to be "
                            "personal.")
    non_personal_severity: Literal["block", "warn", "info"] = Field(
        "info", description="Severity for a resource declared not personal.")


def personal_status(package: Package, resource: Resource, params: PersonalParams) -> Personal:
    if resource.name in params.personal_resources:
        return Personal.YES
    if resource.name in params.non_personal_resources:
        return Personal.NO
    declared = _declared(package, resource)
    if declared is True:
        return Personal.YES
    if declared is False:
        return Personal.YES if _contradiction(resource) else Personal.NO
    if _evidence(resource):
        return Personal.YES
    return Personal.UNDECLARED


def overridden(package: Package, resource: Resource, params: PersonalParams) -> str | None:
    """Why a `"personal": false` declaration was not followed, for the finding's
    message; None where it was (or where there is none)."""
    if resource.name in params.personal_resources or \
            resource.name in params.non_personal_resources:
        return None
    if _declared(package, resource) is not False:
        return None
    why = _contradiction(resource)
    return (f'the resource is declared "personal": false, but {why}: the declaration was '
            "overridden") if why else None


def _declared(package: Package, resource: Resource) -> bool | None:
    for descriptor in (resource.descriptor, package.descriptor):
        declared = descriptor.get("personal")
        if isinstance(declared, bool):
            return declared
    return None


def _contradiction(resource: Resource) -> str | None:
    """The evidence that a resource holds personal data whatever it declares."""
    geometry = resource.geometry.columns if resource.geometry else ()
    for column in (c for c in text_columns(resource) if c not in geometry):
        judgement = judge(column)
        if judgement is not None and judgement.kind == "direct":
            return f"column '{column}' is named for a direct identifier"
    scan = scan_resource(resource)
    for (kind, column), hits in sorted(scan.hits.items()):
        if hits.count and kind not in _NOT_CONTRADICTING:
            return f"column '{column}' holds {kind} values"
    for column, share in sorted(scan.names.items()):
        if share.share >= DEFAULT_COLUMN_SHARE:
            return f"column '{column}' holds person names"
    positions = resource_positions(resource)
    if positions:
        return f"column '{next(iter(positions))}' holds exact positions written as text"
    return None


def severity_for(status: Personal, own: Severity, params: PersonalParams) -> Severity:
    if status is Personal.YES:
        return own
    if status is Personal.NO:
        return Severity(params.non_personal_severity)
    return Severity(params.undeclared_severity)


def _evidence(resource: Resource) -> bool:
    geometry = resource.geometry.columns if resource.geometry else ()
    columns = [c for c in text_columns(resource) if c != "geometry" and c not in geometry]
    if any(suggests_personal(c) for c in columns):
        return True
    scan = scan_resource(resource)
    if any(hits.count for hits in scan.hits.values()):
        return True
    if any(share.share >= DEFAULT_COLUMN_SHARE for share in scan.names.values()):
        return True
    return bool(resource_positions(resource))
