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


def test_unknown_step_type_lists_known_types() -> None:
    spec = load_spec(SPECS / "unknown-step.yaml")
    with pytest.raises(SpecError) as info:
        spec.build_steps()
    assert "unknown step type 'teleport-points'" in str(info.value)
    assert "drop-columns" in str(info.value) and "steps[0]" in str(info.value)


def test_bad_step_parameters_name_the_key() -> None:
    spec = load_spec(SPECS / "bad-step-params.yaml")
    with pytest.raises(SpecError) as info:
        spec.build_steps()
    text = str(info.value)
    assert "steps[0].resolution" in text and "steps[0].colour" in text
