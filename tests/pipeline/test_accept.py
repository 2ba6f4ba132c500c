"""An honest gate (issue 16): a forgotten identifier column blocks, warnings left after
the re-check block unless the pipeline accepts each one with a reason."""

from __future__ import annotations

import csv
import json
import textwrap
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from publisher.catalog.store import CatalogStore
from publisher.cli import app
from publisher.errors import SpecError
from publisher.pipeline.run import Status, run_pipeline
from publisher.pipeline.spec import load_spec
from publisher.settings import load_settings
from tests.conftest import CASES, ROOT

SAMPLES = ROOT / "pipelines" / "samples"
REASON = "Öffentliche Ladepunkte von Unternehmen, keine Wallboxen (Open-Data-Team)"
ACCEPT_GEOMETRY = {"rule": "coordinate-precision", "resource": "charging-points",
                   "field": "geometry", "reason": REASON}


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _pipeline(tmp_path: Path, source: Path, *, accept: list[dict[str, str]] | None = None,
              steps: list[dict[str, object]] | None = None, name: str = "case") -> Path:
    spec: dict[str, object] = {
        "name": name, "source": str(source), "policy": "de-open-data", "steps": steps or [],
        "target": {"type": "local"},
        "dataset": {"name": name, "title": "T", "description": "D",
                    "publisher": "Stadt Musterstadt", "license": "cc-by/4.0"}}
    if accept is not None:
        spec["accept"] = accept
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _nothing_published(home: Path) -> None:
    assert CatalogStore(home / "catalog").datasets() == []
    assert not (home / "catalog" / "datasets").exists()
    assert not [p for p in (home / "catalog").rglob("*") if p.is_file()
                and p.suffix != ".sqlite"] if (home / "catalog").exists() else True


def test_a_forgotten_reporter_name_column_is_refused_and_nothing_published(home: Path):
    code, output = _cli("run", str(CASES / "pipeline" / "forgotten-name.yaml"))
    assert code == 1, output
    assert "blocked" in output and "personal-column-names" in output
    assert "field 'reporter_name'" in output and "direct identifier" in output
    _nothing_published(home)
    with (SAMPLES / "defect-reports" / "reports.csv").open(encoding="utf-8") as fh:
        names = {row["reporter_name"] for row in csv.DictReader(fh)} - {""}
    assert not any(name in output for name in names)


def test_an_unaccepted_warning_blocks_and_the_message_shows_the_entry_to_add(
        home: Path, tmp_path: Path):
    code, output = _cli("run", str(_pipeline(tmp_path, SAMPLES / "charging-points")))
    assert code == 1, output
    assert "1 warning(s) remain that the pipeline does not accept" in output
    assert "coordinate-precision at resource 'charging-points'" in output
    lines = output.splitlines()
    start = lines.index("  accept:")
    snippet = [line for line in lines[start:] if line.startswith("  ")]
    snippet = snippet[:next((i for i, line in enumerate(snippet[1:], 1)
                             if not line.startswith("    ")), len(snippet))]
    entry = yaml.safe_load(textwrap.dedent("\n".join(snippet)))["accept"][0]
    assert {k: entry[k] for k in ("rule", "resource", "field")} == {
        "rule": "coordinate-precision", "resource": "charging-points", "field": "geometry"}
    _nothing_published(home)
    # pasting the entry unchanged is refused: the placeholder is not a reason
    bad = _pipeline(tmp_path, SAMPLES / "charging-points", accept=[entry], name="pasted")
    with pytest.raises(SpecError, match=r"accept\[0\]\.reason"):
        load_spec(bad)


def test_a_matching_acceptance_publishes_and_its_reason_is_recorded(home: Path,
                                                                    tmp_path: Path):
    path = _pipeline(tmp_path, SAMPLES / "charging-points", accept=[ACCEPT_GEOMETRY])
    code, output = _cli("run", str(path))
    assert code == 0, output
    assert "warnings after the re-check" in output
    line = next(line for line in output.splitlines() if "coordinate-precision" in line)
    assert "resource 'charging-points'" in line and "field 'geometry'" in line
    assert "accepted:" in line and "Öffentliche Ladepunkte" in line
    [dataset] = CatalogStore(home / "catalog").datasets()
    version = home / "catalog" / "datasets" / dataset.name / "v1" / "reports"
    audit = json.loads((version / "audit.json").read_text(encoding="utf-8"))
    [use] = audit["accepted_warnings"]
    assert use["reason"] == REASON and use["warnings"] == 1 and use["blocking"] == 0
    assert (use["rule"], use["resource"], use["field"]) == (
        "coordinate-precision", "charging-points", "geometry")
    page = (version / "audit.html").read_text(encoding="utf-8")
    assert "Accepted warnings" in page and "Öffentliche Ladepunkte" in page
    assert "What the policy does not check" in page and "scripts other than Latin" in page
    assert audit["not_checked"] and audit["max_unique_share"] == 0.09
    # every charging point is unique by its position: flagged, beside the acceptance
    assert audit["residual_risk"]["charging-points"]["after"]["above_threshold"] is True
    assert "max_unique_share): 9.0 %" in page
    assert "Above the threshold: charging-points" in page
    run = json.loads(next((home / "runs").rglob("run-report.json")).read_text("utf-8"))
    assert run["reports"]["recheck"]["not_checked"] == audit["not_checked"]
    assert run["acceptance"]["entries"][0]["reason"] == REASON


def test_an_acceptance_of_a_blocking_finding_does_not_unblock_it(home: Path,
                                                                 tmp_path: Path):
    drop = {"type": "drop-columns", "resource": "reports",
            "columns": ["reporter_email", "description"]}
    accept = [{"rule": "personal-column-names", "resource": "reports",
               "field": "reporter_name", "reason": "Die Namen sind doch öffentlich"}]
    path = _pipeline(tmp_path, SAMPLES / "defect-reports", steps=[drop], accept=accept)
    result = run_pipeline(path, load_settings(home=home))
    assert result.status is Status.BLOCKED and result.exit_code == 1
    assert "personal-column-names at resource 'reports', field 'reporter_name'" in \
        result.message
    assert "accept[0]" in result.message and "only warnings can be accepted" in result.message
    assert result.acceptance is not None and result.acceptance.uses[0].blocking == 1
    _nothing_published(home)


def test_an_entry_that_matches_nothing_is_reported_not_fatal(home: Path, tmp_path: Path):
    unused = {"rule": "street-address-in-text", "resource": "charging-points",
              "field": "operator", "reason": "Betreiberadressen sind Firmenadressen"}
    path = _pipeline(tmp_path, SAMPLES / "charging-points", accept=[ACCEPT_GEOMETRY, unused])
    code, output = _cli("run", str(path), "--json")
    assert code == 0, output
    run = json.loads(output)["runs"][0]
    assert run["status"] == "published"
    notes = run["acceptance"]["notes"]
    assert notes == ["accept[1] (rule 'street-address-in-text', resource 'charging-points', "
                     "field 'operator') matches no warning of the re-check"]
    assert run["acceptance"]["entries"][0]["warnings"] == 1
    assert notes[0] in run["reports"]["recheck"]["notes"]


def test_an_entry_without_the_field_the_warning_names_does_not_match(home: Path,
                                                                    tmp_path: Path):
    loose = {"rule": "coordinate-precision", "resource": "charging-points", "reason": REASON}
    path = _pipeline(tmp_path, SAMPLES / "charging-points", accept=[loose])
    result = run_pipeline(path, load_settings(home=home))
    assert result.status is Status.BLOCKED
    assert "the rule warns at: resource 'charging-points', field 'geometry'" in result.message
    _nothing_published(home)


@pytest.mark.parametrize(("entry", "expected"), [
    ({"rule": "coordinate-precision"}, r"accept\[0\].*'reason' is a required property"),
    ({"rule": "x", "reason": "  "}, r"accept\[0\]\.reason"),
    ({"rule": "x", "reason": "ok", "row": 3}, r"accept\[0\].*'row' was unexpected"),
])
def test_accept_entries_are_checked_with_their_key_path(tmp_path: Path, entry, expected):
    path = _pipeline(tmp_path, SAMPLES / "charging-points", accept=[entry])
    with pytest.raises(SpecError, match=expected):
        load_spec(path)


def test_the_shipped_pipelines_publish_honestly(home: Path):
    pipelines = sorted((ROOT / "pipelines").glob("*.yaml"))
    code, output = _cli("run", *map(str, pipelines), "--json")
    assert code == 0, output
    runs = {r["pipeline"]: r for r in json.loads(output)["runs"]}
    # the trees are declared not personal by their package: nothing to accept
    assert runs["tree-cadastre"]["acceptance"]["entries"] == []
    # the charging points' precision is accepted, with a reason, in the pipeline
    [entry] = runs["charging-points"]["acceptance"]["entries"]
    assert entry["rule"] == "coordinate-precision" and entry["warnings"] == 1
    assert len(entry["reason"]) > 40
    for run in runs.values():
        assert run["acceptance"]["unaccepted_warnings"] == 0 and not run["acceptance"]["notes"]
