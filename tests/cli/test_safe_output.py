"""Console output shows names, messages and paths from the data as text: rich
markup in them ("note[/]", "items[/red]", a path) is neither read as markup
nor makes the command crash (issue 24, safe output)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from publisher.cli import app

runner = CliRunner(env={"COLUMNS": "1000"})  # one line per message: nothing wraps


def _package(root: Path, resource: str, field: str) -> Path:
    root.mkdir(parents=True)
    (root / "data.csv").write_text(f"id,{field}\n1,2\n2,drei\n", encoding="utf-8")
    (root / "datapackage.json").write_text(json.dumps({
        "name": "markup", "resources": [{
            "name": resource, "path": "data.csv", "format": "csv",
            "schema": {"fields": [{"name": "id", "type": "integer"},
                                  {"name": field, "type": "integer"}]}}]}),
        encoding="utf-8")
    return root


def _clean(output: str) -> None:
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]


def test_markup_in_field_and_resource_names_is_shown_as_text(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg[bold]", "items", "note[/]")
    result = runner.invoke(app, ["validate", str(root)])
    _clean(result.output)
    assert result.exit_code == 1
    assert "note[/]" in result.output
    # frictionless refuses the name (a finding), which is shown as it is
    root = _package(tmp_path / "other", "items[red]", "name")
    result = runner.invoke(app, ["validate", str(root)])
    _clean(result.output)
    assert result.exit_code == 1
    assert "items[red]" in result.output


def test_markup_in_a_refusal_message_and_path_is_shown_as_text(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg[/]x", "items[/red]", "name")
    result = runner.invoke(app, ["validate", str(root)])
    _clean(result.output)
    assert result.exit_code == 2
    assert "items[/red]" in result.output
    result = runner.invoke(app, ["check", str(root / "nothing[/]"), "--policy", "de-open-data"])
    _clean(result.output)
    assert result.exit_code == 2 and "nothing[/]" in result.output


def test_run_output_with_markup_in_names(tmp_path: Path) -> None:
    root = _package(tmp_path / "pkg[/]", "items", "note[/]")
    pipeline = tmp_path / "run[bold].yaml"
    pipeline.write_text(yaml.safe_dump({
        "name": "markup", "source": str(root), "policy": "de-open-data",
        "target": {"type": "local"},
        "dataset": {"name": "markup", "title": "T[/]", "description": "D", "publisher": "P"}}),
        encoding="utf-8")
    result = runner.invoke(app, ["run", str(pipeline), "--home", str(tmp_path / "home")])
    _clean(result.output)
    assert result.exit_code == 1
    assert "note[/]" in result.output
