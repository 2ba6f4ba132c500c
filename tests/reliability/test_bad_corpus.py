"""Every bad package in tests/cases/bad/ is refused cleanly, by `publisher
validate` and by `publisher run` (a local-target pipeline): the documented exit
code, a message or finding naming what is wrong, no traceback, nothing
published. All cases run in-process (CliRunner); a representative subset also
through the real `publisher` command in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.catalog.store import CatalogStore
from publisher.cli import app
from tests.reliability.corpus import BAD, Case, cases

CASES = cases()
BY_NAME = {c.name: c for c in CASES}
SUBPROCESS = (
    "path-traversal", "symlink-file-outside", "zip-slip", "xml-kml-as-geojson",
    "geojson-crs-link", "descriptor-yaml-billion-laughs", "csv-breaks-schema",
    "licence-not-open", "crs-geojson-unknown-name", "csv-nul-in-cell",
    "geom-wkt-deep-collection", "descriptor-fifo", "schema-pattern-redos",
)
runner = CliRunner()


def _pipeline(directory: Path, source: Path) -> Path:
    spec = {
        "name": "bad-case", "source": str(source), "policy": "de-open-data",
        "allow_remote": False, "steps": [], "target": {"type": "local"},
        "dataset": {"name": "bad-case", "title": "Fehlerhaftes Paket",
                    "description": "Ein Paket aus dem Korpus fehlerhafter Eingaben.",
                    "publisher": "Stadt Musterstadt",
                    "contact_email": "opendata@musterstadt.example", "license": "dl-by-de/2.0"},
    }
    path = directory / "pipeline.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return path


def _clean(output: str) -> None:
    assert "Traceback" not in output
    assert "internal error" not in output


def _findings(data: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in data:
        reports = data["runs"][0]["reports"].values()
        return [f for r in reports for f in r["findings"]]
    found: list[dict[str, Any]] = data.get("findings", [])
    return found


def _matches(case: Case, finding: dict[str, Any]) -> bool:
    return (
        case.finding in (finding.get("type"), finding.get("rule"))
        and finding.get("severity") in ("error", "block")
        and (case.resource is None or finding.get("resource") == case.resource)
        and (case.row is None or finding.get("row") == case.row)
        and (case.field is None or finding.get("field") == case.field)
    )


def _check_outcome(case: Case, code: int, expected: int, output: str) -> None:
    assert code == expected, output[-3000:]
    if expected == 0:
        return
    data = json.loads(output)
    if case.message is not None:
        assert expected == 2
        text = data["runs"][0]["message"] if "runs" in data else str(data.get("message"))
        where = "" if "runs" in data else str(data.get("where") or "")
        assert case.message in text + where, text
    else:
        findings = _findings(data)
        assert any(_matches(case, f) for f in findings), json.dumps(findings)[:3000]


def _nothing_published(home: Path) -> None:
    catalog = home / "catalog"
    if catalog.exists():
        assert CatalogStore(catalog).datasets() == []


def test_corpus_is_big_and_every_readme_states_its_expectation() -> None:
    assert len(CASES) >= 100
    assert {p.name for p in BAD.iterdir() if p.is_dir()} == set(BY_NAME)
    for case in CASES:
        assert (case.message is None) != (case.finding is None), case.name
        assert (case.exit_run == 2) == (case.message is not None), case.name


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_validate_refuses(case: Case, tmp_path: Path) -> None:
    source = case.materialise(tmp_path / "case")
    result = runner.invoke(app, ["validate", str(source), "--json"])
    _clean(result.output + (result.stderr or ""))
    _check_outcome(case, result.exit_code, case.exit_validate, result.output)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_run_refuses_and_publishes_nothing(case: Case, tmp_path: Path) -> None:
    source = case.materialise(tmp_path / "case")
    home = tmp_path / "home"
    pipeline = _pipeline(tmp_path, source)
    result = runner.invoke(app, ["run", str(pipeline), "--json", "--home", str(home)])
    _clean(result.output + (result.stderr or ""))
    _check_outcome(case, result.exit_code, case.exit_run, result.output)
    _nothing_published(home)


@pytest.mark.parametrize("name", SUBPROCESS)
def test_real_cli_refuses(name: str, tmp_path: Path) -> None:
    case = BY_NAME[name]
    source = case.materialise(tmp_path / "case")
    home = tmp_path / "home"
    env = {**os.environ, "PUBLISHER_HOME": str(home)}
    command = [sys.executable, "-m", "publisher.cli"]
    checked = subprocess.run([*command, "validate", str(source)], capture_output=True,
                             text=True, env=env, timeout=120, check=False)
    _clean(checked.stdout + checked.stderr)
    assert checked.returncode == case.exit_validate, checked.stdout + checked.stderr
    if case.message:
        assert case.message in " ".join((checked.stdout + checked.stderr).split())
    ran = subprocess.run([*command, "run", str(_pipeline(tmp_path, source)), "--json"],
                         capture_output=True, text=True, env=env, timeout=120, check=False)
    _clean(ran.stdout + ran.stderr)
    _check_outcome(case, ran.returncode, case.exit_run, ran.stdout)
    _nothing_published(home)
