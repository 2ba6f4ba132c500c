import json
from pathlib import Path

import pandas as pd
import pytest

from publisher.errors import SpecError
from publisher.package.model import Package, Resource
from publisher.report import Severity
from publisher.resources import schemas_dir
from publisher.rules._identifiers import IdentifierParams
from publisher.rules.email_in_text import EmailInText
from publisher.rules.licence_allowlist import LicenceAllowlist
from publisher.rules.policy import check_package, deep_merge, load_policy, shipped_policies

CASES = Path(__file__).parent.parent / "cases" / "rules" / "policies"


def case(name: str) -> str:
    return str(CASES / name)


def spec_error(name: str) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_policy(case(name))
    return info.value


def test_shipped_default_loads_with_its_rules():
    policy = load_policy("de-open-data")
    assert "de-open-data" in shipped_policies()
    ids = [r.id for r in policy.rules]
    assert ids[0] == "licence-allowlist"
    assert {"email-in-text", "phone-in-text", "iban-in-text", "de-tax-id-in-text",
            "coordinate-precision", "k-anonymity", "min-cell-count", "dominance",
            "licence-compatibility", "licence-attribution"} <= set(ids)
    built = policy.build()
    assert isinstance(built[0], LicenceAllowlist)
    assert isinstance(built[ids.index("email-in-text")], EmailInText)
    assert built[ids.index("email-in-text")].severity is Severity.BLOCK
    assert {r.type for r in built} == set(ids)  # one rule per type, id = type
    allowed = built[0].params.model_dump()["allowed"]
    assert set(allowed) == {"dl-zero-de/2.0", "dl-by-de/2.0", "cc-by/4.0", "cc-zero", "odby",
                            "odcpddl", "odbl", "cc-by-sa/4.0", "officialWork",
                            # RULES.md section 4 "Warn" (licence-discouraged), not block
                            "dl-by-de/1.0", "cc-by-de/3.0", "cc-by-sa-de/3.0", "apache",
                            "bsd", "gpl/3.0", "mozilla", "gfdl"}
    assert built[ids.index("licence-discouraged")].severity is Severity.WARN


def test_shipped_policies_all_match_the_json_schema():
    import jsonschema
    import yaml

    schema = json.loads((schemas_dir() / "policies" / "policy.schema.json").read_text())
    for path in (schemas_dir() / "policies").glob("*.yaml"):
        jsonschema.validate(yaml.safe_load(path.read_text()), schema)
        load_policy(path.stem)


def test_extends_shipped_overrides_by_id_and_appends_new_ids():
    policy = load_policy(case("child-of-shipped.yaml"))
    assert policy.name == "child-of-shipped"
    ids = [r.id for r in policy.rules]
    parent = [r.id for r in load_policy("de-open-data").rules]
    assert ids == [*parent, "strict-resource-licence"]  # overrides keep their place
    rules = {r.id: r for r in policy.build()}
    assert rules["email-in-text"].severity is Severity.WARN
    assert rules["email-in-text"].params.model_dump()["columns"] == ["beschreibung"]
    # severity not given in the override: the parent's stays
    assert rules["licence-allowlist"].severity is Severity.BLOCK
    assert rules["licence-allowlist"].params.model_dump()["allowed"] == ["cc-zero"]
    assert rules["strict-resource-licence"].severity is Severity.INFO
    assert len(policy.chain) == 2
    assert policy.chain[1].name == "de-open-data.yaml"


def test_extends_relative_path_deep_merges_params():
    policy = load_policy("child-local.yaml", base=CASES)
    (rule,) = policy.build()
    assert isinstance(rule.params, IdentifierParams)
    assert rule.params.columns == ["text"]  # inherited key kept
    assert rule.params.max_findings == 7  # overridden key replaced


def test_deep_merge_is_key_by_key_and_recursive():
    base = {"a": 1, "nested": {"x": 1, "y": {"deep": 1, "keep": 2}}, "list": [1, 2]}
    override = {"nested": {"y": {"deep": 9}, "z": 3}, "list": [3]}
    assert deep_merge(base, override) == {
        "a": 1, "nested": {"x": 1, "y": {"deep": 9, "keep": 2}, "z": 3}, "list": [3]}
    assert base["nested"]["y"]["deep"] == 1  # inputs unchanged


def test_extends_cycle_is_detected():
    error = spec_error("cycle-a.yaml")
    assert "cycle" in error.message
    assert "cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml" in error.message


def test_unknown_rule_type_names_path_line_and_known_types():
    error = spec_error("unknown-type.yaml")
    assert str(error.where).endswith("unknown-type.yaml")
    assert "rules[1].type (line 4)" in error.message
    assert "no-such-rule" in error.message
    assert "email-in-text" in error.message and "licence-allowlist" in error.message


def test_bad_params_name_file_key_path_and_line():
    """The schema knows each rule's parameters: a wrong type fails before any rule is built."""
    error = spec_error("bad-params.yaml")
    assert str(error.where).endswith("bad-params.yaml")
    assert "rules[1].params.allowed (line 6)" in error.message
    assert "array" in error.message
    assert error.hint and "publisher rules TYPE" in error.hint


def test_unknown_licence_in_allowed_is_a_spec_error_with_its_line():
    """What only the rule's Params model checks (a licence id the crosswalk does not know)
    is reported with the key path and line too."""
    error = spec_error("unknown-licence.yaml")
    assert "rule 'licence-allowlist' (licence-allowlist)" in error.message
    assert "rules[0].params.allowed[1] (line 5)" in error.message
    assert "my-own-licence" in error.message


def test_a_bad_inherited_param_names_the_file_and_line_that_set_it(tmp_path: Path):
    child = tmp_path / "city.yaml"
    child.write_text(f"name: city\nextends: {case('unknown-licence.yaml')}\nrules:\n"
                     "  - id: licence-allowlist\n    severity: warn\n", encoding="utf-8")
    error = spec_error(str(child))
    assert str(error.where).endswith("unknown-licence.yaml")
    assert "rules[0].params.allowed[1] (line 5)" in error.message


def test_bad_severity_fails_the_json_schema_with_path_and_line():
    error = spec_error("bad-severity.yaml")
    assert "rules[0].severity (line 4)" in error.message


def test_misspelt_key_fails_the_json_schema():
    error = spec_error("misspelt-key.yaml")
    assert "rules[0]" in error.message and "parms" in error.message


def test_duplicate_rule_id_is_rejected():
    error = spec_error("duplicate-id.yaml")
    assert "rules[1].id" in error.message and "duplicate" in error.message


def test_override_with_another_type_is_rejected():
    error = spec_error("wrong-override-type.yaml")
    assert "rules[0].type" in error.message
    assert "email-in-text" in error.message


def test_bad_params_in_an_override_name_the_child_file():
    error = spec_error("bad-override-params.yaml")
    assert str(error.where).endswith("bad-override-params.yaml")
    assert "rules[0].params.columns" in error.message


def test_override_of_nothing_without_type_is_rejected():
    error = spec_error("orphan-override.yaml")
    assert "rules[0].type" in error.message and "not-inherited" in error.message


def test_missing_policy_and_missing_parent():
    with pytest.raises(SpecError) as info:
        load_policy("no-such-policy")
    assert "de-open-data" in str(info.value.hint)
    error = spec_error("missing-parent.yaml")
    assert "extends" in error.message and "no-such-policy" in error.message


def test_not_yaml_is_a_spec_error(tmp_path: Path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("name: x\nrules: [\n")
    with pytest.raises(SpecError) as info:
        load_policy(str(bad))
    assert "line" in info.value.message


def test_check_package_runs_every_rule_and_counts_findings(tmp_path: Path):
    table = pd.DataFrame({"text": ["ruf an: max@example.org", "nichts"]}, index=[2, 3])
    package = Package(root=tmp_path, descriptor={"name": "p"}, resources=[
        Resource(name="notes", format="csv", descriptor={"name": "notes"}, data=table)])
    report = check_package(load_policy("de-open-data"), package, stage="recheck")
    assert report.stage == "recheck"
    assert not report.valid
    assert report.stats["rules_run"] == len(load_policy("de-open-data").rules)
    per_rule = {k: v for k, v in report.stats["findings_per_rule"].items() if v}
    assert per_rule == {"licence-allowlist": 1, "email-in-text": 1}
    assert report.stats["rule_stats"]["email-in-text"]["cells"] == 1
    assert {f.rule for f in report.findings} == {"licence-allowlist", "email-in-text"}
    assert "max@example.org" not in json.dumps(report.to_dict())
