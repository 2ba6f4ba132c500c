"""The generated schemas and docs: up to date, covering every registered step, rule
and setting, and keeping the hand-written parts of the schemas."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path
from typing import Any

import jsonschema

from publisher.reference.generate import expected, stale, write
from publisher.reference.schemas import PIPELINE, POLICY
from publisher.rules.base import rules
from publisher.settings import Settings
from publisher.steps.base import steps
from tests.conftest import ROOT

SCHEMAS = ROOT / "schemas"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    return data


def test_the_committed_files_are_what_the_generator_makes() -> None:
    assert stale(ROOT) == [], ("generated files are stale: run "
                               "`python -m publisher.reference` and commit the result")


def test_a_stale_or_missing_file_is_found_and_rewritten(tmp_path: Path) -> None:
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    schema = tmp_path / "schemas" / PIPELINE
    data = json.loads(schema.read_text(encoding="utf-8"))
    del data["$defs"]["step.grid-aggregate"]
    schema.write_text(json.dumps(data), encoding="utf-8")

    assert set(stale(tmp_path)) == {f"schemas/{PIPELINE}", "docs/steps.md", "docs/RULES.md",
                                    "docs/settings.md"}
    write(tmp_path)
    assert stale(tmp_path) == []
    assert "step.grid-aggregate" in json.loads(schema.read_text(encoding="utf-8"))["$defs"]


def test_hand_written_parts_of_the_schemas_are_kept(tmp_path: Path) -> None:
    shutil.copytree(SCHEMAS, tmp_path / "schemas")
    schema = tmp_path / "schemas" / POLICY
    data = json.loads(schema.read_text(encoding="utf-8"))
    data["properties"]["name"]["description"] = "A hand-written change."
    schema.write_text(json.dumps(data), encoding="utf-8")

    regenerated = json.loads(expected(tmp_path)[f"schemas/{POLICY}"])
    assert regenerated["properties"]["name"]["description"] == "A hand-written change."
    assert regenerated["$defs"] == _load(POLICY)["$defs"]


def test_the_schemas_are_valid_json_schemas() -> None:
    for name in (PIPELINE, POLICY):
        jsonschema.Draft202012Validator.check_schema(_load(name))


def test_the_pipeline_schema_covers_every_registered_step_and_its_parameters() -> None:
    schema = _load(PIPELINE)
    assert schema["$defs"]["step"]["properties"]["type"]["enum"] == steps.types()
    for type_id in steps.types():
        definition = schema["$defs"][f"step.{type_id}"]
        params = steps.get(type_id).Params.model_fields
        assert set(definition["properties"]) == {"type", *params}, type_id
        assert definition["additionalProperties"] is False
        for name, field in params.items():
            assert field.description, f"{type_id}.{name}: give it Field(description=...)"
            assert definition["properties"][name].get("description") == field.description


def test_the_policy_schema_covers_every_registered_rule_and_its_parameters() -> None:
    schema = _load(POLICY)
    item = schema["properties"]["rules"]["items"]
    assert item["properties"]["type"]["enum"] == rules.types()
    switched = {branch["if"]["properties"]["type"]["const"] for branch in item["allOf"]}
    assert switched == set(rules.types())
    for type_id in rules.types():
        definition = schema["$defs"][f"params.{type_id}"]
        params = rules.get(type_id).Params.model_fields
        assert set(definition["properties"]) == set(params), type_id
        assert "required" not in definition  # an override may set single keys
        assert all(definition["properties"][n].get("description") for n in params), type_id


def test_defaults_made_by_a_factory_are_in_the_schema() -> None:
    extent = _load(POLICY)["$defs"]["params.coordinate-extent"]["properties"]["extent"]
    assert extent["default"] == [5.8, 46.3, 17.2, 55.1]
    assert extent["minItems"] == extent["maxItems"] == 4
    grid = _load(PIPELINE)["$defs"]["step.grid-aggregate"]["properties"]
    assert grid["merge_up"]["default"] == []
    assert grid["resolution"]["enum"][:2] == [100, 250]


def test_the_rule_catalogue_documents_every_rule_and_what_each_policy_sets() -> None:
    text = (ROOT / "docs" / "RULES.md").read_text(encoding="utf-8")
    for type_id in rules.types():
        assert f"\n### {type_id}\n" in text, type_id
    for section in ("## 1. Direct identifiers", "## 2. Coordinates", "## 3. Quasi-identifiers",
                    "## 4. Licences", "## 5. The legal frame"):
        assert section in text
    # what the shipped policies set, read from them
    assert "| at-ogd | coordinate-extent | warn | extent: [9.5, 46.3, 17.2, 49.1] |" in text
    assert "| de-open-data | street-address-in-text | warn | - |" in text


def test_the_step_catalogue_documents_every_step() -> None:
    text = (ROOT / "docs" / "steps.md").read_text(encoding="utf-8")
    for type_id in steps.types():
        assert f"\n## {type_id}\n" in text, type_id
        assert f"- type: {type_id}\n" in text, f"{type_id}: no example"


def test_the_settings_page_documents_every_setting() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{name}` |")),
                   None)
        assert row is not None, f"setting {name} is not documented"
        assert f"`PUBLISHER_{name.upper()}`" in row
        assert field.description and " ".join(field.description.split())[:30] in row


def test_the_settings_example_is_a_valid_config_file(tmp_path: Path,
                                                     monkeypatch: Any) -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    example = text.split("```toml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / "publisher.toml"
    config.write_text(example, encoding="utf-8")
    assert tomllib.loads(example)
    for name in Settings.model_fields:
        monkeypatch.delenv(f"PUBLISHER_{name.upper()}", raising=False)
    monkeypatch.setenv("PUBLISHER_CONFIG", str(config))

    settings = Settings()
    assert str(settings.home) == "/var/lib/publisher"
    assert settings.remote_hosts == ["geodaten.example.org"]


def test_the_shipped_pipelines_and_policies_name_their_schema_for_editors() -> None:
    """A YAML language server (VS Code, vim, Emacs ...) reads the first line and then
    completes and checks step and rule parameters from the generated schemas."""
    files = {path: SCHEMAS / PIPELINE for path in (ROOT / "pipelines").glob("*.yaml")}
    files.update({path: SCHEMAS / POLICY for path in (SCHEMAS / "policies").glob("*.yaml")})
    assert len(files) >= 4
    for path, schema in files.items():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        named = first.removeprefix("# yaml-language-server: $schema=")
        assert named != first, f"{path}: no schema modeline"
        assert (path.parent / named).resolve() == schema.resolve(), path
