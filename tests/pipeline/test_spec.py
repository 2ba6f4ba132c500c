from __future__ import annotations

import pytest

from publisher.errors import SpecError
from publisher.pipeline.spec import load_spec
from tests.conftest import CASES, ROOT

SPECS = CASES / "pipeline"


def test_shipped_pipelines_match_the_schema() -> None:
    for path in sorted((ROOT / "pipelines").glob("*.yaml")):
        spec = load_spec(path)
        assert spec.steps is not None
        spec.build_steps()
        spec.load_policy().build()


def test_every_schema_problem_is_reported_with_path_and_line() -> None:
    with pytest.raises(SpecError) as info:
        load_spec(SPECS / "bad-schema.yaml")
    text = str(info.value)
    assert "bad-schema.yaml" in text
    assert "name (line 1)" in text and "Bad_Name" in text
    assert "stepz" in text  # additional property
    assert "steps[0] (line 6): 'type' is a required property" in text
    assert "target.type (line 8)" in text
    assert "dataset.name (line 10)" in text
    assert "'publisher' is a required property" in text


def test_broken_yaml_names_the_line() -> None:
    with pytest.raises(SpecError, match=r"not valid YAML at line \d+, column \d+"):
        load_spec(SPECS / "bad-yaml.yaml")


def test_missing_file() -> None:
    with pytest.raises(SpecError, match="pipeline file not found"):
        load_spec(SPECS / "nope.yaml")


def test_unknown_step_type_names_its_line_and_the_known_types() -> None:
    with pytest.raises(SpecError) as info:
        load_spec(SPECS / "unknown-step.yaml")
    text = str(info.value)
    assert "steps[0].type (line 5)" in text and "'teleport-points'" in text
    assert "drop-columns" in text and "grid-aggregate" in text


def test_bad_step_parameters_name_the_key_and_line() -> None:
    """The schema knows each step's parameters: a wrong value or an unknown key fails
    when the pipeline is read, before anything runs."""
    with pytest.raises(SpecError) as info:
        load_spec(SPECS / "bad-step-params.yaml")
    text = str(info.value)
    assert "steps[0].resolution (line 6): 123 is not one of [100, 250" in text
    assert "steps[0] (line 5)" in text and "'colour' was unexpected" in text
    assert info.value.hint and "publisher steps TYPE" in info.value.hint


def test_errors_only_the_step_model_finds_carry_the_key_path_and_line() -> None:
    spec = load_spec(SPECS / "bad-step-model.yaml")
    with pytest.raises(SpecError) as info:
        spec.build_steps()
    text = str(info.value)
    assert str(info.value.where).endswith("bad-step-model.yaml")
    assert "steps[1] (line 9)" in text and "merge_up lists coarser resolutions" in text


def test_a_nested_step_parameter_error_names_the_nested_key_and_its_line(tmp_path) -> None:
    text = (SPECS / "bad-step-model.yaml").read_text(encoding="utf-8")
    fixed = text.replace("merge_up: [100]", "merge_up: [10000]")
    (tmp_path / "spec.yaml").write_text(fixed.replace("../../../", str(ROOT) + "/"),
                                        encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(tmp_path / "spec.yaml").build_steps()
    assert "steps[2].reference (line 14)" in str(info.value)
    assert "give either `resource` or `file`" in str(info.value)


def test_what_the_run_reads_is_typed_on_the_spec(tmp_path) -> None:
    spec = load_spec(ROOT / "pipelines" / "defect-reports.yaml")
    assert not hasattr(spec, "raw")
    assert spec.audit.quasi_identifiers["reports"] == ["reported_at", "category", "status"]
    assert [entry.type for entry in spec.steps][:1] == ["drop-columns"]
    assert "type" not in spec.steps[0].params
    text = (ROOT / "pipelines" / "defect-reports.yaml").read_text(encoding="utf-8")
    (tmp_path / "p.yaml").write_text(text.replace(
        "source: ", "remote_hosts: ['*.example.org']\nsource: ", 1), encoding="utf-8")
    assert load_spec(tmp_path / "p.yaml").remote_hosts == ["*.example.org"]
