"""The identifier rules on a CSV read in batches: positives, look-alikes, rows, masking."""

import json
from pathlib import Path

import pytest

from publisher.masking import mask
from publisher.package.loader import load_package
from publisher.report import Report, Severity
from publisher.rules.base import rules

CASE = Path(__file__).parent.parent / "cases" / "rules" / "identifiers"

# rule type -> expected (row, field, raw value) findings
EXPECTED = {
    "phone-in-text": [(2, "notiz", "+49 341 4935896"), (2, "melder_telefon", "0341/9515715")],
    "iban-in-text": [(4, "notiz", "DE89 3704 0044 0532 0130 00")],
    "de-tax-id-in-text": [(4, "notiz", "36 574 261 809")],  # not the order number in row 3
    "de-pension-number-in-text": [(5, "notiz", "15070649C103")],
    "at-svnr-in-text": [(5, "notiz", "1237 010180")],
    "vehicle-plate-in-text": [(6, "notiz", "B-AB 1234")],  # not XQ-AB 123
    "date-of-birth": [(7, "notiz", "12.03.1980")],  # not the appointment in row 6
    "street-address-in-text": [(7, "notiz", "Hauptstraße 12a")],
    "ip-address-in-text": [(8, "notiz", "192.168.0.1")],
}


def run(rule_type: str, **params: object) -> tuple[object, Report]:
    cls = rules.get(rule_type)
    rule = cls(cls.Params.model_validate(params))
    package = load_package(str(CASE))
    return rule, Report(stage="check", findings=list(rule.check(package)))


@pytest.mark.parametrize("rule_type", sorted(EXPECTED))
def test_rule_finds_exactly_the_planted_identifiers(rule_type):
    rule, report = run(rule_type)
    got = [(f.row, f.field, f.sample) for f in report.findings]
    assert got == [(row, field, mask(value)) for row, field, value in EXPECTED[rule_type]]
    assert all(f.severity is rule.severity for f in report.findings)
    assert all(f.hint and "redact-text" in f.hint
               for f in report.findings)
    text = json.dumps(report.to_dict(), ensure_ascii=False)
    for _, _, value in EXPECTED[rule_type]:
        assert value not in text


def test_columns_param_limits_the_scan_and_warns_on_unknown_names():
    _, report = run("phone-in-text", columns=["melder_telefon"])
    assert [(f.row, f.field) for f in report.findings] == [(2, "melder_telefon")]
    _, report = run("phone-in-text", columns=["nope"])
    assert [f.severity for f in report.findings] == [Severity.WARN]


def test_max_findings_never_hides_a_column():
    # one finding allowed, two columns with a phone number each: both are named
    rule, report = run("phone-in-text", max_findings=1)
    assert [(f.row, f.field) for f in report.findings] == [(2, "notiz"), (2, "melder_telefon")]
    assert rule.stats["cells"] == 2


def test_plate_countries_param():
    _, report = run("vehicle-plate-in-text", countries=["at"])
    assert report.findings == []
