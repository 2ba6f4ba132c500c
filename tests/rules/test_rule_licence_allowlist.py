from typing import Any

import pytest
from licensed import package
from pydantic import ValidationError

from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import rules
from publisher.rules.licence_allowlist import LicenceAllowlist, LicenceAllowlistParams

OPEN = ["dl-zero-de/2.0", "dl-by-de/2.0", "cc-by/4.0", "cc-zero", "odby", "odcpddl", "odbl",
        "cc-by-sa/4.0", "officialWork"]
CC_BY = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}


def check(pkg: Package, allowed: list[str] = OPEN) -> list[Finding]:
    rule = LicenceAllowlist(LicenceAllowlistParams(allowed=allowed))
    return list(rule.check(pkg))


def test_registered_under_its_type():
    assert rules.get("licence-allowlist") is LicenceAllowlist


@pytest.mark.parametrize("licenses", [
    [CC_BY],
    [{"name": "OGL-DE-BY-2.0", "path": "https://www.govdata.de/dl-de/by-2-0"}],
    [{"path": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"}],
    [{"spdx": "ODbL-1.0"}],
    ["officialWork"],
])
def test_allowed_licence_passes(licenses: list[Any]):
    assert check(package(licenses)) == []


def test_missing_licence_blocks_at_package_level():
    (finding,) = check(package())
    assert finding.severity is Severity.BLOCK
    assert finding.rule == "licence-allowlist"
    assert finding.resource is None
    assert "no licence" in finding.message
    assert finding.hint is not None and "licenses" in finding.hint and "cc-zero" in finding.hint
    assert check(package([])) != []


def test_resource_without_licence_when_only_another_resource_has_one():
    findings = check(package(None, {"a": [CC_BY], "b": None}))
    assert [(f.resource, "no licence" in f.message) for f in findings] == [("b", True)]


def test_resource_licence_covers_missing_package_licence():
    assert check(package(None, {"a": [CC_BY], "b": ["cc-zero"]})) == []


@pytest.mark.parametrize(("licence", "why"), [
    ("CC-BY-NC-4.0", "commercial"),
    ({"name": "CC-BY-NC-SA-4.0"}, "commercial"),
    ("dl-by-nc-de/1.0", "commercial"),
    ("other-nc", "commercial"),
    ({"path": "https://creativecommons.org/licenses/by-nd/4.0/"}, "derived"),
    ("other-closed", "not an open licence"),
    ("other-commercial", "not an open licence"),
])
def test_non_commercial_no_derivatives_closed_block_and_say_why(licence: Any, why: str):
    (finding,) = check(package([licence]))
    assert why in finding.message
    assert finding.severity is Severity.BLOCK


def test_blocked_kind_blocks_even_if_the_policy_lists_it():
    (finding,) = check(package(["cc-by-nc/4.0"]), allowed=["cc-by-nc/4.0"])
    assert "commercial" in finding.message


def test_unknown_licence_is_a_finding():
    (finding,) = check(package([{"name": "Stadtlizenz Musterstadt"}]))
    assert "unknown" in finding.message and "Stadtlizenz Musterstadt" in finding.message


def test_known_but_not_allowed():
    (finding,) = check(package([{"name": "ODbL-1.0"}]), allowed=["cc-zero", "DL-DE-BY-2.0"])
    assert "'odbl'" in finding.message and "not one the policy allows" in finding.message
    assert finding.hint is not None
    assert "cc-zero" in finding.hint and "dl-by-de/2.0" in finding.hint


def test_resource_licence_at_fault_names_the_resource():
    findings = check(package([CC_BY], {"good": None, "shops": ["CC-BY-ND-4.0"]}))
    (finding,) = findings
    assert finding.resource == "shops"
    assert "resource" in finding.message


def test_contradictory_entry_is_a_finding():
    entry = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by-nc/4.0/"}
    (finding,) = check(package([entry]))
    assert "cc-by/4.0" in finding.message and "cc-by-nc/4.0" in finding.message


def test_entry_that_is_not_understood():
    (finding,) = check(package([42]))
    assert "not understood" in finding.message


def test_params_reject_unknown_and_empty_lists():
    with pytest.raises(ValidationError):
        LicenceAllowlistParams(allowed=["my-licence"])
    with pytest.raises(ValidationError):
        LicenceAllowlistParams(allowed=[])
