"""`publisher plan` and `publisher publish` (of the saved plan) with a CKAN target,
on the real stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _pipeline(tmp_path: Path, org: str, name: str, target: dict[str, Any]) -> Path:
    spec = yaml.safe_load((ROOT / "pipelines" / "charging-points.yaml").read_text("utf-8"))
    spec["source"] = str(ROOT / "pipelines" / "samples" / "charging-points")
    spec["target"] = target
    spec["dataset"]["name"] = name
    path = tmp_path / "charging-points.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def _env(stack: Any, tmp_path: Path) -> dict[str, str]:
    keys = ("CKAN_URL", "CKAN_API_KEY", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY",
            "S3_BUCKET", "S3_REGION")
    return {**{f"PUBLISHER_{k}": stack[f"PUBLISHER_{k}"] for k in keys},
            "PUBLISHER_HOME": str(tmp_path / "home")}


@pytest.mark.stack
def test_plan_then_publish_then_plan_unchanged(stack: Any, ckan: Any, publisher_org: str,
                                               unique: str, tmp_path: Path) -> None:
    path = _pipeline(tmp_path, publisher_org, unique, {
        "type": "ckan", "organisation": publisher_org, "create_organisation": True})
    env = _env(stack, tmp_path)

    planned = runner.invoke(app, ["plan", str(path), "--json"], env=env)
    assert planned.exit_code == 0, planned.output
    [run] = json.loads(planned.output)["runs"]
    assert run["status"] == "planned" and run["plan"]["action"] == "create"
    assert {r["key"] for r in run["plan"]["resources"]} == {
        "data/charging-points.csv", "datapackage.json"}
    assert not ckan.action.package_search(q=f"name:{unique}")["results"]  # nothing written

    published = runner.invoke(app, ["publish", run["run_dir"], "--json"], env=env)
    assert published.exit_code == 0, published.output
    assert json.loads(published.output)["runs"][0]["status"] == "published"

    again = runner.invoke(app, ["plan", str(path), "--json"], env=env)
    assert again.exit_code == 0, again.output
    [saved] = json.loads(again.output)["runs"]
    assert "unchanged" in saved["message"]
    # the dataset changes on CKAN after the plan was made: the plan is refused
    ckan.action.package_patch(id=unique, title="Von Hand geändert")
    stale = runner.invoke(app, ["publish", saved["run_id"], "--json"], env=env)
    assert stale.exit_code == 2, stale.output
    [refused] = json.loads(stale.output)["runs"]
    assert "saved plan is out of date" in refused["message"]
    assert ckan.action.package_show(id=unique)["title"] == "Von Hand geändert"


def test_plan_needs_a_ckan_target(tmp_path: Path) -> None:
    path = _pipeline(tmp_path, "x", "local-plan", {"type": "local"})
    result = runner.invoke(app, ["plan", str(path), "--json"],
                           env={"PUBLISHER_HOME": str(tmp_path / "home")})
    assert result.exit_code == 2
    [run] = json.loads(result.output)["runs"]
    assert "plan" in run["message"] and run["status"] == "failed"


def test_a_failed_ckan_pipeline_does_not_stop_the_batch(tmp_path: Path) -> None:
    broken = _pipeline(tmp_path, "x", "broken", {"type": "ckan", "organisation": "org",
                                                  "url": "http://127.0.0.1:9"})
    local = tmp_path / "local"
    local.mkdir()
    ok = _pipeline(local, "x", "fine", {"type": "local"})
    result = runner.invoke(app, ["run", str(broken), str(ok), "--json"],
                           env={"PUBLISHER_HOME": str(tmp_path / "home"),
                                "PUBLISHER_CKAN_API_KEY": "k"})
    assert result.exit_code == 2
    runs = json.loads(result.output)["runs"]
    assert [r["status"] for r in runs] == ["failed", "published"]
    assert "CKAN did not answer" in runs[0]["message"]
