"""Every step's and rule's example is valid: against the schema (read as a pipeline or
policy file is read) and against the step's or rule's own Params model."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from publisher.pipeline.spec import load_spec
from publisher.reference.catalogue import rule_entries, step_entries
from publisher.rules.policy import load_policy
from publisher.steps.base import steps

PIPELINE = """\
name: example
source: samples/none
policy: de-open-data
target: {type: local}
dataset: {name: example, title: Example, description: Example, publisher: Stadt}
steps:
"""


def _indented(example: str) -> str:
    return "".join(f"  {line}\n" for line in example.rstrip("\n").splitlines())


@pytest.mark.parametrize("entry", step_entries(), ids=lambda e: e.type)
def test_every_step_example_is_a_valid_step(entry, tmp_path: Path) -> None:
    assert entry.example, f"{entry.type} has no example"
    items = yaml.safe_load(entry.example)
    assert isinstance(items, list) and [i["type"] for i in items] == [entry.type]
    path = tmp_path / "pipeline.yaml"
    path.write_text(PIPELINE + _indented(entry.example), encoding="utf-8")

    (step,) = load_spec(path).build_steps()

    assert isinstance(step, steps.get(entry.type))


@pytest.mark.parametrize("entry", rule_entries(), ids=lambda e: e.type)
def test_every_rule_example_is_a_valid_rule(entry, tmp_path: Path) -> None:
    assert entry.example, f"{entry.type} has no example"
    items = yaml.safe_load(entry.example)
    assert isinstance(items, list) and [i["type"] for i in items] == [entry.type]
    path = tmp_path / "policy.yaml"
    path.write_text("name: example\nrules:\n" + _indented(entry.example), encoding="utf-8")

    (rule,) = load_policy(str(path)).build()

    assert rule.type == entry.type
    assert rule.params.model_dump(exclude_unset=True) == items[0].get("params", {})


def test_an_example_that_breaks_the_schema_is_caught(tmp_path: Path) -> None:
    """The check above can fail: a wrong key in an example is a SpecError."""
    from publisher.errors import SpecError

    path = tmp_path / "pipeline.yaml"
    path.write_text(PIPELINE + "  - type: grid-aggregate\n    resolution_m: 100\n",
                    encoding="utf-8")
    with pytest.raises(SpecError, match=r"steps\[0\] \(line 7\).*'resolution_m' was unexpected"):
        load_spec(path)
