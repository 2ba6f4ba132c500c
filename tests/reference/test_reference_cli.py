"""`publisher steps`, `publisher rules` and `publisher policy show`."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from publisher.cli import app
from publisher.rules.base import rules
from publisher.rules.policy import load_policy
from publisher.steps.base import steps

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_steps_lists_every_step_with_parameters_and_an_example() -> None:
    code, output = _run("steps")
    assert code == 0, output
    for type_id in steps.types():
        assert f"- type: {type_id}" in output
    assert "min_count" in output and "integer >= 1" in output


def test_one_step_shows_its_parameters_types_defaults_and_description() -> None:
    code, output = _run("steps", "grid-aggregate")
    assert code == 0, output
    assert "Points become counts per INSPIRE grid cell" in output
    assert "merged upward" in output  # the full description
    row = next(line for line in output.splitlines() if line.startswith("resolution "))
    assert "one of: 100, 250" in row and " 100 " in row and "Cell size in metres" in row
    assert "merge_up: [1000, 10000]" in output
    assert "drop-columns" not in output


def test_steps_json_has_every_parameter() -> None:
    code, output = _run("steps", "band-numbers", "--json")
    assert code == 0, output
    (step,) = json.loads(output)["steps"]
    width = next(p for p in step["params"] if p["name"] == "width")
    assert width == {"name": "width", "type": "number > 0", "required": True, "default": None,
                     "description": "Width of each band, e.g. 5 for 5-year age bands."}
    origin = next(p for p in step["params"] if p["name"] == "origin")
    assert origin["required"] is False and origin["default"] == 0.0
    assert yaml.safe_load(step["example"])[0]["type"] == "band-numbers"


def test_rules_list_every_rule_with_its_default_severity() -> None:
    code, output = _run("rules", "--json")
    assert code == 0, output
    listed = json.loads(output)["rules"]
    assert [r["type"] for r in listed] == rules.types()
    plate = next(r for r in listed if r["type"] == "vehicle-plate-in-text")
    assert plate["default_severity"] == "block"
    assert next(p for p in plate["params"] if p["name"] == "countries")["default"] == ["de", "at"]
    code, output = _run("rules", "k-anonymity")
    assert code == 0 and "default severity: block" in output and "k: 5" in output


def test_an_unknown_type_names_the_known_ones() -> None:
    code, output = _run("steps", "teleport-points")
    assert code == 2
    assert "unknown step type 'teleport-points'" in output and "grid-aggregate" in output


def test_policy_show_prints_the_effective_policy_after_extends(tmp_path: Path) -> None:
    city = tmp_path / "city.yaml"
    city.write_text("name: city\nextends: de-open-data\nnot_checked: [the city's own list]\n"
                    "rules:\n  - id: k-anonymity\n    params: {k: 10}\n"
                    "  - id: street-address-in-text\n    severity: block\n", encoding="utf-8")
    code, output = _run("policy", "show", str(city))
    assert code == 0, output
    assert "de-open-data.yaml" in output  # the files it was read from, as comments
    shown = yaml.safe_load(output)
    by_id = {r["id"]: r for r in shown["rules"]}
    assert by_id["k-anonymity"]["params"]["k"] == 10
    assert by_id["k-anonymity"]["params"]["quasi_identifiers"]  # inherited
    assert by_id["street-address-in-text"]["severity"] == "block"
    assert by_id["email-in-text"]["params"] == {"columns": None, "max_findings": 100}  # defaults
    assert shown["extends"] is None and shown["not_checked"] == ["the city's own list"]

    # what it prints is a policy file of its own with the same rules
    flat = tmp_path / "flat.yaml"
    flat.write_text(output, encoding="utf-8")
    same = [(r.id, r.type, r.severity, r.params) for r in load_policy(str(flat)).build()]
    assert same == [(r.id, r.type, r.severity, r.params)
                    for r in load_policy(str(city)).build()]


def test_policy_show_json_names_the_files(tmp_path: Path) -> None:
    code, output = _run("policy", "show", "at-ogd", "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["name"] == "at-ogd" and data["files"][0].endswith("at-ogd.yaml")
    assert {r["type"] for r in data["rules"]} <= set(rules.types())


def test_policy_show_of_a_missing_policy_lists_the_shipped_ones() -> None:
    code, output = _run("policy", "show", "no-such-policy")
    assert code == 2 and "de-open-data" in output
