"""identifiers-in-metadata: the descriptor's and the pipeline's texts go through the
same detectors as the cells, and no metadata value is shown (issue 24, part 2)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from publisher.cli import app
from publisher.masking import mask
from publisher.package.model import Package, Resource
from publisher.report import Severity
from publisher.resources import policy_path
from publisher.rules.identifiers_in_metadata import (
    IdentifiersInMetadata,
    IdentifiersInMetadataParams,
    function_mailbox,
)
from publisher.rules.licence_attribution import LicenceAttribution, LicenceAttributionParams
from publisher.rules.not_checked import DEFAULT_NOT_CHECKED
from publisher.rules.policy import check_package, load_policy
from tests.conftest import CASES

EMAIL, PHONE = "anna.meier@example.de", "0176 47637096"


def package(descriptor: dict[str, Any] | None = None, fields: list[dict[str, Any]] | None = None,
            columns: list[str] | None = None, dataset: dict[str, Any] | None = None) -> Package:
    names = columns or [f["name"] for f in fields or [{"name": "kategorie"}]]
    frame = pd.DataFrame({c: ["x"] for c in names}, dtype="str")
    schema = {"fields": fields or [{"name": c, "type": "string"} for c in names]}
    res = Resource(name="r", format="csv", descriptor={"name": "r", "schema": schema},
                   data=frame)
    return Package(root=".", descriptor={"name": "p", **(descriptor or {})}, resources=[res],
                   dataset=dataset or {})


def findings(pkg: Package, **params: Any) -> list:
    rule = IdentifiersInMetadata(IdentifiersInMetadataParams.model_validate(params))
    return list(rule.check(pkg))


@pytest.mark.parametrize(("descriptor", "where"), [
    ({"title": f"Meldungen von {EMAIL}"}, "the package's title"),
    ({"description": f"Rückfragen: Tel. {PHONE}"}, "the package's description"),
    ({"keywords": ["Laterne", EMAIL]}, "the package's keywords[1]"),
    ({"contributors": [{"title": "Stadt", "email": EMAIL}]}, "the package's contributors[0]"),
    ({"contributors": [{"title": "Klaus Wagner", "role": "author"}]},
     "the package's contributors[0].title"),
    ({"description": "Kontakt anna.meier＠example.de"}, "the package's description"),
])
def test_identifiers_in_the_descriptor_block(descriptor: dict[str, Any], where: str) -> None:
    (finding,) = findings(package(descriptor))
    assert finding.severity is Severity.BLOCK and where in finding.message
    shown = f"{finding.message} {finding.sample} {finding.hint}"
    assert "meier" not in shown and "47637096" not in shown and "Wagner" not in shown


def test_field_texts_and_column_names_are_metadata() -> None:
    fields = [{"name": "kategorie", "type": "string",
               "description": f"gemeldet von {EMAIL}"},
              {"name": EMAIL, "type": "string"}]
    got = findings(package(fields=fields))
    # a field named with the address is itself named masked
    assert {(f.resource, f.field) for f in got} == {("r", "kategorie"), ("r", mask(EMAIL))}
    (header,) = findings(package(columns=["kategorie", "anna.meier＠example.de"]))
    assert "field name" in header.message and "meier" not in str(header.field)


def test_a_column_name_outside_the_schema_is_metadata() -> None:
    pkg = package(fields=[{"name": "kategorie", "type": "string"}])
    pkg.resources[0].data = pd.DataFrame({"kategorie": ["x"], EMAIL: ["y"]}, dtype="str")
    (header,) = findings(pkg)
    assert "column name" in header.message and header.field == mask(EMAIL)


def test_a_position_in_a_description_is_found() -> None:
    (finding,) = findings(package({"description": "Standort 51.3379712 12.3816943"}))
    assert "exact position" in finding.message and "3379712" not in str(finding.sample)


def test_an_office_address_only_warns() -> None:
    (finding,) = findings(package({"description": "Rathaus, Hauptstraße 12, Musterstadt"}))
    assert finding.severity is Severity.WARN


@pytest.mark.parametrize(("address", "ok"), [
    ("opendata@musterstadt.example", True), ("poststelle@stadt.example", True),
    ("geodaten-team@stadt.example", True), ("anna.meier@stadt.example", False),
    ("a.meier@stadt.example", False), ("klaus@stadt.example", False),
    ("mueller@stadt.example", False), ("k.wagner@stadt.example", False)])
def test_a_contact_point_is_a_function_mailbox(address: str, ok: bool) -> None:
    assert function_mailbox(address) is ok
    got = findings(package(dataset={"contact_email": address,
                                    "contact": {"email": address}}))
    assert (got == []) is ok
    assert all("contact point" in f.message and f.severity is Severity.BLOCK for f in got)


def test_a_function_mailbox_elsewhere_is_still_an_address() -> None:
    got = findings(package(dataset={"description": "Fragen an opendata@musterstadt.example"}))
    assert [f.severity for f in got] == [Severity.BLOCK]
    assert "dataset.description" in got[0].message


def test_pipeline_texts_at_any_depth() -> None:
    dataset = {"title": "Bäume", "resources": {"r": {"fields": {"k": {
        "description": f"Rückruf {PHONE}"}}}}, "carry_over": ["keywords"]}
    (finding,) = findings(package(dataset=dataset))
    assert "dataset.resources.r.fields.k.description" in finding.message


def test_in_a_run_only_carried_source_texts_count() -> None:
    descriptor = {"description": f"Rohdaten mit {EMAIL}", "keywords": [EMAIL]}
    assert findings(package(descriptor, dataset={"title": "x"})) == []
    (kept,) = findings(package(descriptor, dataset={"carry_over": ["keywords"]}))
    assert "keywords" in kept.message


def test_both_shipped_policies_block_and_the_metadata_is_checked() -> None:
    for name in ("de-open-data", "at-ogd"):
        policy = load_policy(policy_path(name))
        report = check_package(policy, package({"description": f"Kontakt: {EMAIL}"}))
        assert any(f.type == "identifiers-in-metadata" and f.severity is Severity.BLOCK
                   for f in report.findings)
        assert not any("metadata" in entry for entry in report.not_checked)
    assert not any("metadata" in entry for entry in DEFAULT_NOT_CHECKED)


def test_the_attribution_never_quotes_a_contributors_email_or_phone() -> None:
    contributor = f"Anna Meier, {EMAIL}, Tel. {PHONE}"
    pkg = package({"licenses": [{"name": "OGL-DE-BY-2.0"}],
                   "contributors": [{"title": contributor, "role": "publisher"}]})
    rule = LicenceAttribution(LicenceAttributionParams())
    (finding,) = list(rule.check(pkg))
    text = f"{finding.message} {rule.stats}"
    assert EMAIL not in text and "47637096" not in text
    assert "[EMAIL]" in finding.message and "[PHONE]" in finding.message


def test_check_cli_echoes_no_metadata_value(tmp_path) -> None:
    case = CASES / "privacy24" / "metadata"
    html = tmp_path / "report.html"
    for extra in ([], ["--json"]):
        result = CliRunner().invoke(app, ["check", str(case), "--policy", "de-open-data",
                                          "--html", str(html), *extra])
        assert result.exit_code == 1, result.output[-2000:]
        for shown in (result.output, html.read_text(encoding="utf-8")):
            for raw in ("anna.meier", "47637096", "k.wagner", "Wagner"):
                assert raw not in shown, raw
        if extra:
            types = {f["type"] for f in json.loads(result.output)["findings"]
                     if f["severity"] == "block"}
            assert "identifiers-in-metadata" in types


@pytest.mark.parametrize("name", ["defect-reports", "charging-points", "tree-cadastre"])
def test_the_shipped_pipelines_texts_pass_with_their_contact_point(name: str) -> None:
    import yaml

    from tests.conftest import ROOT
    spec = yaml.safe_load((ROOT / "pipelines" / f"{name}.yaml").read_text(encoding="utf-8"))
    rule = IdentifiersInMetadata(IdentifiersInMetadataParams())
    assert list(rule.check(package(dataset=spec["dataset"]))) == []
    assert rule.stats["contact_allowed"] == 2  # contact_email and contact.email
