"""A ragged CSV row (more or fewer cells than the header) is a finding on every
route, never an unusable input (exit 2): `publisher validate` and `publisher
check` both report it with its row (and field) and exit 1, `publisher run` stops
at validation with a message naming the file, the row and the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from publisher.cli import app
from publisher.package.loader import load_package
from publisher.report import Severity
from publisher.rules._rows import LISTED
from publisher.rules.policy import check_package, load_policy
from tests.conftest import CASES

runner = CliRunner()
RAGGED = CASES / "package" / "ragged_rows"
RAGGED_END = CASES / "package" / "ragged_end"
BAD = CASES / "bad"
EXPECTED = {
    RAGGED: [("extra-cell", 3, None), ("extra-cell", 3, None), ("missing-cell", 4, "district"),
             ("missing-cell", 6, "note"), ("missing-cell", 6, "district")],
    RAGGED_END: [("extra-cell", 4, None)],
}


def _ragged(findings: list[dict[str, Any]]) -> list[tuple[str, int, str | None]]:
    return [(f["type"], f["row"], f.get("field")) for f in findings
            if f["type"] in ("extra-cell", "missing-cell")]


def _clean(output: str) -> None:
    assert "Traceback" not in output and "internal error" not in output
    for raw in ("extra,mehr", "mehr", "x\ny"):  # the cells beyond the header
        assert raw not in output


@pytest.mark.parametrize("case", [RAGGED, RAGGED_END], ids=lambda p: p.name)
def test_validate_reports_ragged_rows_with_the_file_in_the_hint(case: Path) -> None:
    result = runner.invoke(app, ["validate", str(case), "--json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["findings"]
    assert _ragged(findings) == EXPECTED[case]
    assert all("spielplaetze.csv row " in f["hint"] for f in findings
               if f["type"] in ("extra-cell", "missing-cell"))


@pytest.mark.parametrize("case", [RAGGED, RAGGED_END], ids=lambda p: p.name)
def test_check_reports_the_rows_validate_reports_and_exits_1(case: Path) -> None:
    result = runner.invoke(app, ["check", str(case), "--policy", "de-open-data", "--json"])
    assert result.exit_code == 1, result.output
    _clean(result.output)
    findings = json.loads(result.output)["findings"]
    assert _ragged(findings) == EXPECTED[case]
    assert {f["severity"] for f in findings if f["type"].endswith("-cell")} == {"block"}
    # the rules read the other rows (and the cut or padded ones): the scan still runs
    assert any(f.get("rule") == "personal-column-names" for f in findings)


@pytest.mark.parametrize(("case", "finding"), [
    ("csv-ragged-more-cells", ("extra-cell", 3, None)),
    ("csv-ragged-fewer-cells", ("missing-cell", 3, "district")),
    ("csv-unclosed-quote", ("missing-cell", 2, "equipment_count")),
])
def test_check_on_the_bad_corpus_reports_instead_of_exit_2(
        case: str, finding: tuple[str, int, str | None]) -> None:
    result = runner.invoke(app, ["check", str(BAD / case), "--policy", "de-open-data",
                                 "--json"])
    assert result.exit_code == 1, result.output
    assert finding in _ragged(json.loads(result.output)["findings"])


def test_check_as_a_table_names_the_row(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(RAGGED), "--policy", "de-open-data"])
    assert result.exit_code == 1, result.output
    _clean(result.output)
    assert "extra-cell" in result.output and "missing-cell" in result.output


def test_run_stops_at_validation_naming_file_row_and_field(tmp_path: Path) -> None:
    spec = {
        "name": "ragged", "source": str(RAGGED), "policy": "de-open-data", "steps": [],
        "target": {"type": "local"},
        "dataset": {"name": "spielplaetze", "title": "Spielplätze",
                    "description": "Spielplätze der Stadt.", "publisher": "Stadt Musterstadt",
                    "contact_email": "opendata@musterstadt.example",
                    "license": "dl-by-de/2.0"},
    }
    pipeline = tmp_path / "pipeline.yaml"
    pipeline.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["run", str(pipeline), "--json", "--home",
                                 str(tmp_path / "home")])
    assert result.exit_code == 1, result.output
    _clean(result.output)
    run = json.loads(result.output)["runs"][0]
    assert run["status"] == "blocked" and run["stage"] == "validate"
    message = run["message"]
    assert "missing-cell at resource 'spielplaetze', row 6, field 'note'" in message
    assert "spielplaetze.csv row 6 has fewer cells than its header" in message
    assert "Extra Cell in resource 'spielplaetze', row 3, column 5" in message
    assert "spielplaetze.csv row 3 has more cells than its header" in message
    assert "suppress-small-cells" not in message  # no step fixes a ragged row


def test_many_ragged_rows_are_summed_up_after_the_first(tmp_path: Path) -> None:
    rows = "".join(f"{i},a,b\n" for i in range(LISTED + 30))
    (tmp_path / "m.csv").write_text("id,text\n" + rows, encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps(
        {"name": "m", "resources": [{"name": "m", "path": "m.csv"}]}), encoding="utf-8")
    report = check_package(load_policy("de-open-data"), load_package(tmp_path))
    ragged = [f for f in report.findings if f.type == "extra-cell"]
    assert len(ragged) == LISTED + 1
    assert ragged[-1].count == 30 and ragged[-1].row == LISTED + 2
    assert all(f.severity is Severity.BLOCK for f in ragged)


def test_check_of_a_spatial_file_reports_ragged_rows_too(tmp_path: Path) -> None:
    # the geometry is read from the whole table (cut or padded), the scan from batches
    rows = ["id,lat,lon,text", "1,51.3397,12.3731,Laterne", "2,51.3398,12.3732",
            "3,51.3399,12.3733,Bank,mehr"]
    (tmp_path / "m.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps(
        {"name": "m", "resources": [{"name": "m", "path": "m.csv"}]}), encoding="utf-8")
    package = load_package(tmp_path)
    assert package.resources[0].is_spatial
    result = runner.invoke(app, ["check", str(tmp_path), "--policy", "de-open-data", "--json"])
    assert result.exit_code == 1, result.output
    _clean(result.output)
    assert _ragged(json.loads(result.output)["findings"]) == [("missing-cell", 3, "text"),
                                                              ("extra-cell", 4, None)]
