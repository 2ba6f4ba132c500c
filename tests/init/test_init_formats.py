"""Every format init describes goes init -> validate -> check -> run (issue 19).

Each raw file is written by tests/cases/init/generate.py into a temporary
directory; init describes it, `publisher validate` and `publisher check`
read the package it wrote, and `publisher run` publishes it once the test
has filled in the dataset block of the pipeline init wrote.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.cli import app
from tests.cases.init import generate

runner = CliRunner()

# format -> (resource format(s) described, the steps init proposes, published file endings:
# sheets as CSV, Shapefile, GeoParquet and FlatGeobuf as GeoPackage; grid-aggregate makes
# a table of cell counts, published as CSV)
CASES: dict[str, tuple[list[str], list[str], list[str]]] = {
    "csv": (["csv"], ["drop-columns", "redact-text", "grid-aggregate"], [".csv"]),
    "xlsx": (["xlsx", "xlsx"], ["grid-aggregate"], [".csv", ".csv"]),
    "ods": (["ods"], [], [".csv"]),
    "shp": (["shp"], [], [".gpkg"]),
    "shp-zip": (["shp"], [], [".gpkg"]),
    "gpkg": (["gpkg", "gpkg"], ["grid-aggregate"], [".csv", ".gpkg"]),
    "geojson": (["geojson"], ["drop-columns", "grid-aggregate"], [".csv"]),
    "geoparquet": (["geoparquet"], [], [".gpkg"]),
    "fgb": (["fgb"], ["grid-aggregate"], [".csv"]),
}


def _cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _init(raw: Path, out: Path, *extra: str) -> dict[str, Any]:
    code, output = _cli("init", str(raw), "--out", str(out), "--license", "dl-by-de/2.0",
                        "--publisher", "Stadt Musterstadt", "--json", *extra)
    assert code == 0, output
    data: dict[str, Any] = json.loads(output)
    return data


def _fill_dataset(pipeline: Path) -> None:
    """What the steward does: give the dataset its title and description."""
    text = pipeline.read_text(encoding="utf-8")
    text = text.replace('  title: ""', '  title: "Beispieldaten Musterstadt"', 1)
    text = text.replace('  description: ""', '  description: "Synthetische Beispieldaten."', 1)
    pipeline.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("kind", list(CASES))
def test_init_validate_check_run(kind: str, tmp_path: Path, home: Path) -> None:
    formats, steps, endings = CASES[kind]
    (tmp_path / "raw").mkdir()
    raw = generate.WRITERS[kind](tmp_path / "raw")
    out = tmp_path / "paket"
    described = _init(raw, out)
    assert [r["format"] for r in described["resources"]] == formats
    assert [s["type"] for s in described["steps"]] == steps
    assert described["validate"]["valid"] is True

    code, output = _cli("validate", str(out), "--json")
    assert code == 0, output
    code, output = _cli("check", str(out), "--policy", "de-open-data", "--json")
    blocking = [f for f in json.loads(output)["findings"] if f["severity"] == "block"]
    assert code == (1 if blocking else 0), output

    pipeline = out / "pipeline.yaml"
    code, output = _cli("run", str(pipeline), "--json")
    assert code == 2 and "dataset.title" in output  # the placeholders must be filled first
    _fill_dataset(pipeline)
    code, output = _cli("run", str(pipeline), "--json")
    assert code == 0, output
    run = json.loads(output)["runs"][0]
    assert run["status"] == "published"
    descriptor = json.loads((Path(run["publish"]["location"]) / "datapackage.json")
                            .read_text(encoding="utf-8"))
    published = sorted(Path(r["path"]).suffix for r in descriptor["resources"])
    assert published == sorted(endings)


@pytest.mark.parametrize("kind", list(CASES))
def test_pipeline_file_holds_no_raw_value(kind: str, tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    raw = generate.WRITERS[kind](tmp_path / "raw")
    out = tmp_path / "paket"
    _init(raw, out)
    text = (out / "pipeline.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text)["source"] == "."
    for secret in generate.SECRETS:
        assert secret not in text
