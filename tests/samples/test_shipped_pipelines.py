"""The shipped pipelines match the pipeline schema and fit their sample packages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PIPELINES = sorted((ROOT / "pipelines").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return loaded


def test_the_two_demo_pipelines_are_shipped() -> None:
    names = {p.stem for p in PIPELINES}
    assert {"defect-reports", "tree-cadastre"} <= names


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.stem)
def test_pipeline_matches_schema(path: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "pipeline.schema.json").read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    spec = _load(path)
    assert [e.message for e in validator.iter_errors(spec)] == []
    assert spec["name"] == path.stem


@pytest.mark.parametrize("path", PIPELINES, ids=lambda p: p.stem)
def test_pipeline_steps_name_real_resources_and_columns(path: Path) -> None:
    spec = _load(path)
    source = (path.parent / spec["source"]).resolve()
    descriptor = json.loads((source / "datapackage.json").read_text("utf-8"))
    fields = {
        r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in descriptor["resources"]
    }
    for step in spec.get("steps") or []:
        assert step["resource"] in fields
        assert set(step.get("columns", [])) <= fields[step["resource"]]
        assert set(step.get("by", [])) <= fields[step["resource"]]


def test_defect_pipeline_removes_identifiers_then_grids() -> None:
    spec = _load(ROOT / "pipelines" / "defect-reports.yaml")
    drop, grid = spec["steps"]
    assert drop["type"] == "drop-columns"
    assert set(drop["columns"]) == {"reporter_name", "reporter_email", "description"}
    assert (grid["type"], grid["resolution"], grid["min_count"]) == ("grid-aggregate", 100, 3)
    assert spec["dataset"]["license"] == "dl-by-de/2.0"
