"""Every report says what the policy does not check, and flags residual uniqueness
(issue 16): the CLI check output, the HTML report and the JSON."""

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from publisher.cli import app
from publisher.package.model import Package, Resource
from publisher.reporting import render_html
from publisher.rules.not_checked import DEFAULT_NOT_CHECKED
from publisher.rules.policy import check_package, load_policy


def _people() -> pd.DataFrame:
    rows = [("30-34", "w")] * 10 + [("35-39", "m")] * 10 + [("95", "d"), ("97", "w"),
                                                            ("99", "m")]
    return pd.DataFrame(rows, columns=["altersgruppe", "geschlecht"])


def _write_package(path: Path) -> Path:
    path.mkdir()
    _people().to_csv(path / "people.csv", index=False)
    descriptor = {"name": "people", "licenses": [{"name": "OGL-DE-ZERO-2.0",
                                                  "path": "https://www.govdata.de/dl-de/zero-2-0"}],
                  "resources": [{"name": "people", "path": "people.csv", "format": "csv",
                                 "schema": {"fields": [{"name": "altersgruppe", "type": "string"},
                                                       {"name": "geschlecht",
                                                        "type": "string"}]}}]}
    (path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return path


def test_html_report_lists_what_is_not_checked_and_the_uniqueness_flag():
    res = Resource(name="people", format="csv", descriptor={"name": "people"}, data=_people())
    report = check_package(load_policy("de-open-data"),
                           Package(root=".", descriptor={"name": "p"}, resources=[res]))
    page = render_html(report)
    listed = page.split('id="not-checked"')[1].split("</ul>")[0]
    assert listed.count("<li>") == len(DEFAULT_NOT_CHECKED)
    assert "scripts other than Latin" in listed and "photos" in listed
    columns = page.split('id="columns"')[1].split("</table>")[0]
    row = next(r for r in columns.split("<tr>") if "residual-uniqueness" in r)
    assert "warn" in row and "altersgruppe, geschlecht" in row
    assert "13.0% of the records (3 of 23) are unique" in page


def test_cli_check_prints_the_list_and_the_flag(tmp_path: Path):
    package = _write_package(tmp_path / "people")
    result = CliRunner().invoke(app, ["check", str(package), "--policy", "de-open-data"],
                                env={"COLUMNS": "240"})
    text = result.output
    assert "not checked by the policy" in text
    assert all(item[:40] in text.replace("\n", " ") for item in DEFAULT_NOT_CHECKED)
    assert "residual-uniqueness" in text and "13.0%" in text
    result = CliRunner().invoke(app, ["check", str(package), "--policy", "de-open-data",
                                      "--json"])
    data = json.loads(result.output)
    assert data["not_checked"] == list(DEFAULT_NOT_CHECKED)
    [flag] = [g for g in data["by_column"] if g["rule"] == "residual-uniqueness"]
    assert flag["severity"] == "warn" and flag["field"] == "altersgruppe, geschlecht"
