"""Publishing to the real CKAN with and without the official DCAT-AP.de shapes: a
clone without them publishes all the same (the own checks run, the run report says
so), and with them the shapes run once per run, not again in the CKAN target."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.cli import app
from publisher.metadata import conformance
from publisher.metadata.conformance import OFFICIAL, OWN, SHAPES_NOT_USED
from publisher.pipeline.run import Status, run_pipeline
from publisher.settings import Settings

pytestmark = pytest.mark.stack
ROOT = Path(__file__).resolve().parents[2]
KEYS = ("CKAN_URL", "CKAN_API_KEY", "S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY",
        "S3_BUCKET", "S3_REGION")


def _pipeline(tmp_path: Path, org: str) -> tuple[Path, str]:
    name = f"conformance-{uuid.uuid4().hex[:10]}"
    spec = yaml.safe_load((ROOT / "pipelines" / "charging-points.yaml").read_text("utf-8"))
    spec["source"] = str(ROOT / "pipelines" / "samples" / "charging-points")
    spec["target"] = {"type": "ckan", "organisation": org}
    spec["dataset"]["name"] = name
    path = tmp_path / "charging-points.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path, name


def test_publishing_to_ckan_needs_no_conformance_directory(
        stack: Any, ckan: Any, ckan_org: dict[str, Any], tmp_path: Path) -> None:
    path, name = _pipeline(tmp_path, ckan_org["name"])
    nowhere = tmp_path / "no-conformance-directory"
    env = {**{f"PUBLISHER_{k}": stack[f"PUBLISHER_{k}"] for k in KEYS},
           "PUBLISHER_HOME": str(tmp_path / "home"), "PUBLISHER_CONFORMANCE_DIR": str(nowhere)}
    result = CliRunner().invoke(app, ["run", str(path), "--json"], env=env)
    assert result.exit_code == 0, result.output
    [run] = json.loads(result.output)["runs"]
    assert run["status"] == "published", run["message"]
    assert not nowhere.exists()
    report = run["reports"]["conformance"]
    assert report["stats"]["dcat_ap_de"]["checked_with"] == OWN
    [warning] = [f for f in report["findings"] if f["type"] == SHAPES_NOT_USED]
    assert warning["severity"] == "warn" and "were not used" in warning["message"]
    run_report = json.loads((Path(run["run_dir"]) / "run-report.json").read_text("utf-8"))
    assert SHAPES_NOT_USED in {f["type"] for f in
                               run_report["reports"]["conformance"]["findings"]}
    assert ckan.action.package_show(id=name)["contributor_id"] == [
        "http://dcat-ap.de/def/contributors/freistaatSachsen"]


def test_the_official_shapes_run_once_per_run(
        stack: Any, ckan: Any, ckan_org: dict[str, Any], tmp_path: Path,
        official_shapes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher.targets import ckan as ckan_target

    calls: list[str] = []
    real = conformance.shacl_check

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append("shapes")
        return real(*args, **kwargs)

    def not_again(*args: Any, **kwargs: Any) -> Any:
        calls.append("target checked again")
        raise AssertionError("the CKAN target checked what the run's stage had checked")

    monkeypatch.setattr(conformance, "shacl_check", counted)
    monkeypatch.setattr(ckan_target, "check_dcat_ap_de", not_again)
    conformance._remembered.cache_clear()
    values = {k.lower(): stack[f"PUBLISHER_{k}"] for k in KEYS}
    settings = Settings(home=tmp_path / "home", conformance_dir=official_shapes, **values)
    path, name = _pipeline(tmp_path, ckan_org["name"])
    result = run_pipeline(path, settings)
    assert result.status is Status.PUBLISHED, result.message
    assert result.reports["conformance"].stats["dcat_ap_de"]["checked_with"] == OFFICIAL
    assert calls == ["shapes"]  # the stage; the CKAN target took its report
    planned = run_pipeline(path, settings, plan_only=True)
    # the same record again: the shapes' answer is remembered
    assert planned.status is Status.PLANNED and calls == ["shapes"]
    assert ckan.action.package_show(id=name)["name"] == name


def test_a_direct_publish_is_checked_by_the_target(
        stack: Any, ckan: Any, ckan_org: dict[str, Any], tmp_path: Path) -> None:
    """Without a run (a PublishRequest handed to the target) the CKAN target runs
    the same check itself and refuses what it blocks."""
    from publisher.errors import BlockedError
    from publisher.targets import make_target
    from tests.targets.ckan_helpers import DATASET, stage_files

    values = {k.lower(): stack[f"PUBLISHER_{k}"] for k in KEYS}
    settings = Settings(home=tmp_path / "home", conformance_dir=tmp_path / "none", **values)
    target = make_target({"type": "ckan", "organisation": ckan_org["name"]}, settings)
    name = f"conformance-{uuid.uuid4().hex[:10]}"
    request = stage_files(tmp_path / "staged", name, {"a": b"id\n1\n"})
    request.metadata = {**DATASET, "name": name, "frequency": "SOMETIMES"}
    with pytest.raises(BlockedError, match=r"dataset\.frequency"):
        target.publish(request)
    request.metadata["frequency"] = "IRREG"
    assert target.publish(request).changed
