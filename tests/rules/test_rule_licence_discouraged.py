from typing import Any

import pytest
from licensed import package
from pydantic import ValidationError

from publisher.licences import crosswalk, normalise
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import rules
from publisher.rules.licence_discouraged import LicenceDiscouraged, LicenceDiscouragedParams


def check(pkg: Package, **params: Any) -> list[Finding]:
    return list(LicenceDiscouraged(LicenceDiscouragedParams(**params)).check(pkg))


def ids(found: list[Finding]) -> list[str]:
    return [f.message.split("licence '")[1].split("'")[0] for f in found]


def test_registered_under_its_type_and_warns_by_default():
    assert rules.get("licence-discouraged") is LicenceDiscouraged
    assert LicenceDiscouraged(LicenceDiscouragedParams()).severity is Severity.WARN


@pytest.mark.parametrize(("entry", "licence", "current"), [
    ({"name": "CC-BY-3.0-AT", "path": "https://creativecommons.org/licenses/by/3.0/at/"},
     "cc-by-at/3.0", "cc-by/4.0"),
    ({"path": "https://creativecommons.org/licenses/by/3.0/at/legalcode"}, "cc-by-at/3.0",
     "cc-by/4.0"),
    ("http://dcat-ap.de/def/licenses/cc-by-de/3.0", "cc-by-de/3.0", "cc-by/4.0"),
    ({"spdx": "CC-BY-3.0"}, "cc-by/3.0", "cc-by/4.0"),
    ("CC BY 2.0", "cc-by/2.0", "cc-by/4.0"),
    ({"path": "https://www.govdata.de/dl-de/by-1-0"}, "dl-by-de/1.0", "dl-by-de/2.0"),
    ("CC-BY-SA-3.0-DE", "cc-by-sa-de/3.0", "cc-by-sa/4.0"),
])
def test_old_versions_warn_and_name_the_current_version(entry, licence, current):
    (finding,) = check(package([entry]))
    assert finding.severity is Severity.WARN and finding.rule == "licence-discouraged"
    assert f"'{licence}'" in finding.message and "old version" in finding.message
    assert f"'{current}'" in finding.message
    assert finding.hint is not None and current in finding.hint
    assert finding.resource is None


@pytest.mark.parametrize(("entry", "licence", "suggested"), [
    ({"name": "MIT"}, "mit", "cc-by/4.0"),
    ({"spdx": "Apache-2.0", "path": "https://www.apache.org/licenses/LICENSE-2.0"}, "apache",
     "cc-by/4.0"),
    ("GPL-3.0-or-later", "gpl/3.0", "cc-by-sa/4.0"),
    ("http://dcat-ap.de/def/licenses/mozilla", "mozilla", "cc-by-sa/4.0"),
    ("gfdl", "gfdl", "cc-by-sa/4.0"),
    ("Unlicense", "unlicense", "cc-zero"),
])
def test_software_licences_warn_with_a_data_licence_of_the_same_kind(entry, licence,
                                                                      suggested):
    (finding,) = check(package([entry]))
    assert f"'{licence}'" in finding.message and "software licence" in finding.message
    assert finding.hint is not None and suggested in finding.hint


@pytest.mark.parametrize("entry", [
    # look-alikes of the old versions: the current ones
    {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"},
    "cc-by",  # CKAN's id, read as CC BY 4.0
    "https://creativecommons.org/licenses/by/4.0/deed.de",
    "CC BY-SA 4.0",
    {"name": "OGL-DE-BY-2.0", "path": "https://www.govdata.de/dl-de/by-2-0"},
    "dl-zero-de/2.0",
    # data licences of Open Data Commons, and public domain
    "ODbL-1.0", "odby", "CC0-1.0", "officialWork",
])
def test_current_data_licences_do_not_warn(entry):
    assert check(package([entry])) == []


@pytest.mark.parametrize("entry", [
    "CC-BY-ND-3.0",  # old, but not open: licence-allowlist blocks it
    "CC-BY-NC-3.0-DE",
    "Stadtlizenz Musterstadt",  # unknown: licence-allowlist
    42,  # not understood: licence-allowlist
])
def test_non_open_unknown_and_odd_entries_are_left_to_the_allowlist(entry):
    assert check(package([entry])) == []


def test_missing_licence_is_left_to_the_allowlist():
    assert check(package()) == []


def test_resource_licences_are_checked_sources_are_not():
    pkg = package(["cc-by/4.0"], resources={"a": None, "b": [{"name": "MIT"}]},
                  sources=[{"title": "Altdaten", "licenses": [{"name": "CC-BY-3.0-AT"}]}])
    (finding,) = check(pkg)
    assert finding.resource == "b" and "'mit'" in finding.message
    assert "the resource" in finding.message


def test_one_finding_per_licence_and_owner():
    pkg = package([{"name": "MIT"}, "https://opensource.org/licenses/MIT", "CC-BY-3.0-AT"])
    found = check(pkg)
    assert sorted(ids(found)) == ["cc-by-at/3.0", "mit"]


def test_params_switch_kinds_off_and_ignore_single_licences():
    pkg = package(["MIT", "CC-BY-3.0-AT", "dl-by-de/1.0"])
    assert ids(check(pkg, software=False)) == [
        "cc-by-at/3.0", "dl-by-de/1.0"]
    assert ids(check(pkg, old_versions=False)) == ["mit"]
    assert ids(check(pkg, ignore=["CC BY 3.0 AT"])) == [
        "mit", "dl-by-de/1.0"]
    with pytest.raises(ValidationError):
        LicenceDiscouragedParams(ignore=["Stadtlizenz Musterstadt"])


def test_crosswalk_marks_old_versions_and_software_licences():
    table = crosswalk()
    old = {lic.id for lic in table.licences if lic.superseded_by}
    software = {lic.id for lic in table.licences if lic.software}
    assert {"cc-by-at/3.0", "cc-by-de/3.0", "cc-by/3.0", "cc-by/2.0",
            "dl-by-de/1.0", "cc-by-sa/3.0"} <= old
    assert {"mit", "apache", "gpl/3.0", "bsd", "mozilla"} <= software
    assert not old & software
    current = {"cc-by/4.0", "dl-by-de/2.0", "cc-by-sa/4.0", "cc-zero", "odbl", "odby"}
    assert not current & (old | software)
    for licence in table.licences:
        if licence.superseded_by:
            successor = normalise(licence.superseded_by)
            assert successor is not None and not successor.superseded_by
            assert successor.kind == licence.kind


@pytest.mark.parametrize(("policy", "entry", "warned"), [
    ("at-ogd", {"name": "CC-BY-3.0-AT"}, True),
    ("at-ogd", {"name": "MIT"}, True),
    ("at-ogd", {"name": "CC-BY-4.0"}, False),
    ("de-open-data", "http://dcat-ap.de/def/licenses/dl-by-de/1.0", True),
    ("de-open-data", "http://dcat-ap.de/def/licenses/gpl/3.0", True),
    ("de-open-data", "http://dcat-ap.de/def/licenses/dl-by-de/2.0", False),
])
def test_shipped_policies_warn_without_blocking(policy, entry, warned):
    from publisher.rules.policy import check_package, load_policy

    report = check_package(load_policy(policy), package([entry]))
    assert report.valid, [f.message for f in report.findings]
    found = [f for f in report.findings if f.rule == "licence-discouraged"]
    assert bool(found) is warned
    assert all(f.severity is Severity.WARN for f in found)
