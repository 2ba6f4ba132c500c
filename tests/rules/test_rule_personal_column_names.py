"""personal-column-names: direct identifiers block by name, quasi-identifiers warn,
a bare "name" warns unless a person word (block) or a thing word (nothing) says whose."""

import pandas as pd
import pytest

from publisher.package.model import Package, Resource
from publisher.report import Severity
from publisher.rules.personal_column_names import (
    PersonalColumnNames,
    PersonalColumnNamesParams,
    judge,
)
from publisher.rules.policy import check_package, load_policy

BLOCK, WARN = Severity.BLOCK, Severity.WARN


def package(*columns: str, values: tuple[str, ...] = ("x",)) -> Package:
    table = pd.DataFrame({c: list(values) for c in columns},
                         index=range(2, 2 + len(values)))
    res = Resource(name="r", format="csv", descriptor={"name": "r"}, data=table)
    return Package(root=".", descriptor={"name": "p"}, resources=[res])


def severities(*columns: str, **params: object) -> dict[str, Severity]:
    rule = PersonalColumnNames(PersonalColumnNamesParams.model_validate(params))
    return {f.field or "": f.severity for f in rule.check(package(*columns))}


@pytest.mark.parametrize("column", [
    "reporter_name", "reporter_email", "vorname", "Nachname", "melder_name", "MelderName",
    "name_vorname", "first name", "e_mail", "Telefon", "handy", "IBAN", "svnr",
    "steuer_id", "kfz_kennzeichen", "kennzeichen_kfz", "geburtsdatum", "antragsteller",
    "eigentuemer", "halter", "kontakt_name", "user_name", "ip_address"])
def test_direct_identifiers_block_by_name(column):
    assert severities(column) == {column: BLOCK}


@pytest.mark.parametrize("column", [
    "plz", "Alter", "geschlecht", "staatsangehoerigkeit", "Straße", "street_name",
    "owner_type", "melder_anzahl", "person_count"])
def test_quasi_identifiers_and_kinds_of_people_only_warn(column):
    assert severities(column) == {column: WARN}


@pytest.mark.parametrize("column", [
    "stop_name", "baumart_name", "species_name", "standort_name", "park_name",
    "counter_name", "species_latin", "tree_id", "district", "count", "operator"])
def test_names_of_things_and_plain_columns_are_no_finding(column):
    assert severities(column) == {}


def test_a_bare_name_warns_and_says_how_to_settle_it():
    rule = PersonalColumnNames(PersonalColumnNamesParams())
    (finding,) = rule.check(package("name", values=("Klaus Wagner", "Stadtpark")))
    assert finding.severity is WARN
    assert "whose name" in finding.message
    assert finding.hint and "ignore" in finding.hint and "park_name" in finding.hint
    assert severities("kennzeichen") == {"kennzeichen": WARN}
    assert rule.stats["unclear"] == ["r.name"]


def test_params_set_the_indirect_severity_and_extra_words():
    assert severities("plz", "name", indirect_severity="info") == {
        "plz": Severity.INFO, "name": Severity.INFO}
    assert severities("kundennr", extra_names=["KundenNr"]) == {"kundennr": BLOCK}
    assert severities("schicht", extra_indirect_names=["schicht"]) == {"schicht": WARN}
    assert severities("reporter_name", ignore=["reporter_name"]) == {}


def test_judgement_names_the_deciding_words():
    assert judge("stop_name").kind == "thing"  # type: ignore[union-attr]
    assert judge("reporter_name").word == "reporter"  # type: ignore[union-attr]
    assert judge("contact_name").word == "contact name"  # type: ignore[union-attr]
    assert judge("tree_id") is None


@pytest.mark.parametrize("policy", ["de-open-data", "at-ogd"])
def test_shipped_policies_block_direct_and_warn_indirect_names(policy):
    report = check_package(load_policy(policy),
                           package("reporter_name", "plz", "name", "stop_name",
                                   values=("Wagner", "Rosenpark")))
    found = {f.field: f.severity for f in report.findings
             if f.rule == "personal-column-names"}
    assert found == {"reporter_name": BLOCK, "plz": WARN, "name": WARN}


def test_a_bare_name_whose_values_are_no_person_names_is_only_info():
    districts = ("Mitte", "Nord", "Südost", "Altstadt", "Gohlis", "Grünau")
    rule = PersonalColumnNames(PersonalColumnNamesParams())
    (finding,) = rule.check(package("name", values=districts))
    assert finding.severity is Severity.INFO
    assert "none of its values" in finding.message
    names = package("name", values=("Klaus Wagner", "Elif Öztürk", "Anna Schmidt"))
    (finding,) = rule.check(names)
    assert finding.severity is WARN


def test_disguised_column_names_are_read_as_shown() -> None:
    # issue 24: fullwidth letters, a zero-width space, a soft hyphen
    from publisher.rules.personal_column_names import judge
    for name in ("Ｅ－Ｍａｉｌ", "tele\u200bfon", "melder\u00adname"):
        judgement = judge(name)
        assert judgement is not None and judgement.kind == "direct", name
