"""A per-rule cap never hides a column: the e-mail case of issue 16 (a free-text
column with more hits than max_findings first, then hundreds in reporter_email)."""

import json
import re

import pandas as pd
from rich.console import Console
from typer.testing import CliRunner

from publisher import render
from publisher.cli import app
from publisher.package.model import Package, Resource
from publisher.reporting import render_html
from publisher.rules.policy import check_package, load_policy
from tests.conftest import ROOT

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def _reports() -> Package:
    n = 400
    table = pd.DataFrame({
        "description": [f"Laterne defekt, bitte an melder{i}@example.de antworten"
                        if i < 150 else "Laterne defekt" for i in range(n)],
        "reporter_email": [f"person{i}@example.org" for i in range(n)],
    }, index=pd.RangeIndex(2, n + 2))
    res = Resource(name="reports", format="csv", descriptor={"name": "reports"}, data=table)
    return Package(root=".", descriptor={"name": "p"}, resources=[res])


def test_every_column_is_named_with_its_count_though_the_cap_fills_up():
    report = check_package(load_policy("de-open-data"), _reports())
    groups = {(g.field, g.occurrences) for g in report.by_column() if g.rule == "email-in-text"}
    assert groups == {("description", 150), ("reporter_email", 400)}
    findings = [f for f in report.findings if f.rule == "email-in-text"]
    listed = [f for f in findings if f.row is not None]
    assert len(listed) == 100  # the cap, shared out
    assert {f.field for f in listed} == {"description", "reporter_email"}
    summaries = [f for f in findings if f.row is None]
    assert sorted((f.field, f.count) for f in summaries) == [
        ("description", 100), ("reporter_email", 350)]
    assert all("in this column are not listed" in f.message for f in summaries)
    assert report.stats["rule_stats"]["email-in-text"]["by_field"] == {
        "reports.description": 150, "reports.reporter_email": 400}


def test_the_cli_table_and_the_html_report_show_the_summary_without_raw_values():
    report = check_package(load_policy("de-open-data"), _reports())
    console = Console(record=True, width=200)
    render.report(console, report)
    text = console.export_text()
    assert "findings by rule and column" in text
    lines = [line for line in text.splitlines() if "email-in-text" in line and "│" in line]
    assert any("reporter_email" in line and " 400 " in line for line in lines)
    assert any("description" in line and " 150 " in line for line in lines)
    page = render_html(report)
    summary = page.split('id="columns"')[1].split("</table>")[0]
    assert "reporter_email" in summary and ">400<" in summary and ">150<" in summary
    assert not EMAIL.search(text) and not EMAIL.search(page)


def test_the_shipped_sample_names_reporter_email_with_its_551_addresses():
    result = CliRunner().invoke(app, ["check", str(ROOT / "pipelines" / "samples" /
                                                   "defect-reports"),
                                      "--policy", "de-open-data", "--json"])
    assert result.exit_code == 1, result.output[-2000:]
    data = json.loads(result.output)
    emails = {g["field"]: g["occurrences"] for g in data["by_column"]
              if g["rule"] == "email-in-text"}
    assert emails["reporter_email"] == 551
    assert emails["description"] > 100  # more than max_findings, listed first
    listed = {f["field"] for f in data["findings"]
              if f["rule"] == "email-in-text" and "row" in f}
    assert listed == {"description", "reporter_email"}
