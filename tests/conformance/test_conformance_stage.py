"""The run's conformance stage on the local target: DCAT-AP.de 3.0 is checked
before publishing, with the official shapes and with the own checks alike; what is
mandatory blocks (exit 1, nothing published), what is recommended warns; the
report goes into the run report, beside the data and into the audit record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.catalog.store import CatalogStore
from publisher.cli import app
from publisher.metadata.conformance import OFFICIAL, OWN, SHAPES_NOT_USED
from publisher.pipeline.run import Status, run_pipeline
from publisher.report import Severity
from publisher.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
TREES = ROOT / "pipelines" / "tree-cadastre.yaml"


@pytest.fixture(params=[OFFICIAL, OWN])
def shapes(request: pytest.FixtureRequest, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test once with the official shapes, once with an empty conformance
    directory (the own checks)."""
    if request.param == OFFICIAL:
        directory = request.getfixturevalue("official_shapes")
    else:
        directory = tmp_path / "empty-conformance"
        directory.mkdir()
    monkeypatch.setenv("PUBLISHER_CONFORMANCE_DIR", str(directory))
    return str(request.param)


def _pipeline(tmp_path: Path, *, drop: tuple[str, ...] = (), target: dict[str, Any] | None = None,
              **dataset: Any) -> Path:
    spec = yaml.safe_load(TREES.read_text("utf-8"))
    spec["source"] = str(TREES.parent / spec["source"])
    spec["dataset"].update(dataset)
    for key in drop:
        del spec["dataset"][key]
    spec["target"] = {"type": "local", **(target or {})}
    path = tmp_path / "trees.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def _run(path: Path, tmp_path: Path) -> Any:
    return run_pipeline(path, load_settings(home=tmp_path / "home"))


def test_a_dataset_without_contributor_id_is_published_with_a_warning(
        shapes: str, tmp_path: Path) -> None:
    result = _run(_pipeline(tmp_path, drop=("contributor_id",)), tmp_path)
    assert result.status is Status.PUBLISHED, result.message
    report = result.reports["conformance"]
    assert report.stats["dcat_ap_de"]["checked_with"] == shapes
    [finding] = [f for f in report.findings if f.field == "dataset.contributor_id"]
    assert finding.severity is Severity.WARN and "GovData" in finding.message
    assert (SHAPES_NOT_USED in {f.type for f in report.findings}) is (shapes == OWN)

    # in the run report, beside the data, and in the audit record
    run_report = json.loads((Path(result.run_dir) / "run-report.json").read_text("utf-8"))
    fields = [f.get("field") for f in run_report["reports"]["conformance"]["findings"]]
    assert "dataset.contributor_id" in fields
    assert result.publish is not None
    version = Path(result.publish.location)
    published = json.loads((version / "reports" / "conformance.json").read_text("utf-8"))
    assert "dataset.contributor_id" in [f.get("field") for f in published["findings"]]
    audit = json.loads((version / "reports" / "audit.json").read_text("utf-8"))
    assert audit["checks"]["conformance"]["valid"] is True
    assert "warn:dcat-ap-de-contributor-id-needed" in audit["checks"]["conformance"]["by_type"]
    assert audit["metadata_profiles"]["dcat_ap_de"]["checked_with"] == shapes
    assert "conformance" in (version / "reports" / "audit.html").read_text("utf-8")


def test_a_mandatory_property_not_met_blocks_and_nothing_is_published(
        shapes: str, tmp_path: Path) -> None:
    result = _run(_pipeline(tmp_path, frequency="SOMETIMES"), tmp_path)
    assert result.status is Status.BLOCKED and result.exit_code == 1
    assert result.stage == "conformance"
    assert "field 'dataset.frequency'" in result.message
    assert result.message.startswith("the dataset's metadata do not pass DCAT-AP.de 3.0")
    blocking = result.reports["conformance"].blocking
    assert [f.field for f in blocking] == ["dataset.frequency"]
    assert CatalogStore(tmp_path / "home" / "catalog").datasets() == []


def test_the_shipped_pipeline_passes_with_no_warning_but_the_period(shapes: str,
                                                                    tmp_path: Path) -> None:
    result = _run(_pipeline(tmp_path), tmp_path)
    assert result.status is Status.PUBLISHED, result.message
    warned = {f.field for f in result.reports["conformance"].findings if f.field}
    assert warned == {"dataset.temporal"}


def test_a_catalogue_that_wants_no_dcat_ap_de(tmp_path: Path) -> None:
    path = _pipeline(tmp_path, target={"dcat_ap_de": False}, frequency="SOMETIMES",
                     drop=("contributor_id",))
    result = _run(path, tmp_path)
    assert result.status is Status.PUBLISHED, result.message
    report = result.reports["conformance"]
    assert report.findings == [] and report.stats["profiles"] == []
    assert "dcat_ap_de: false" in report.notes[0]


def test_dcat_ap_at_mandatory_fields_block_when_asked_for(tmp_path: Path) -> None:
    result = _run(_pipeline(tmp_path, target={"dcat_ap_at": True}, themes=[]), tmp_path)
    assert result.status is Status.BLOCKED and result.stage == "conformance"
    assert [f.field for f in result.reports["conformance"].blocking] == ["dataset.themes"]
    assert result.reports["conformance"].stats["profiles"] == ["dcat-ap-de", "dcat-ap-at"]
    assert "do not pass DCAT-AP.de 3.0 and DCAT-AP.AT 2.1" in result.message


def test_the_cli_shows_the_stage_and_its_report(shapes: str, tmp_path: Path) -> None:
    path = _pipeline(tmp_path, frequency="SOMETIMES")
    result = CliRunner().invoke(app, ["run", str(path), "--json",
                                      "--home", str(tmp_path / "home")])
    assert result.exit_code == 1, result.output
    [run] = json.loads(result.output)["runs"]
    assert run["stage"] == "conformance" and run["status"] == "blocked"
    assert run["reports"]["conformance"]["valid"] is False
