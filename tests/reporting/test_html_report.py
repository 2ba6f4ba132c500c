"""The HTML report: self-contained, escaped, and rendered by headless Chromium."""

import re
import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from publisher.cli import app
from publisher.report import Finding, Report, Severity
from publisher.reporting import render_html

SAMPLES = Path(__file__).parent.parent.parent / "pipelines" / "samples"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "chromium is needed for this test: apt-get install -y chromium"
    return found


def sample_report() -> Report:
    return Report(stage="check", stats={"policy": "de-open-data"}, findings=[
        Finding(type="phone-in-text", message="a phone number in the text",
                severity=Severity.BLOCK, resource="reports", row=4, field="description",
                rule="phone-in-text", sample="+** *** *******",
                hint="replace the values with redact-text (kinds: phone)"),
        Finding(type="personal-column-names", message="<script>alert(1)</script>",
                severity=Severity.WARN, resource="reports", field="reporter_name",
                rule="personal-column-names", hint="drop-columns")])


def test_page_is_self_contained_and_escaped():
    page = render_html(sample_report())
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    assert 'id="findings"' in page and "must not be published" in page
    assert page.index("Summary") < page.index("Findings by rule")


def test_cli_check_writes_html(tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["check", str(SAMPLES / "defect-reports"),
                                      "--policy", "de-open-data", "--html", str(out)])
    assert result.exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert "email-in-text" in page and "coordinate-precision" in page
    assert "@example.org" not in page  # samples are masked


def test_chromium_renders_screenshot_and_findings_table(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render_html(sample_report()), encoding="utf-8")
    shot = tmp_path / "shot.png"
    browser = chromium()
    subprocess.run([browser, *CHROMIUM_FLAGS, "--window-size=1280,900",
                    f"--screenshot={shot}", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert shot.is_file() and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dom = subprocess.run([browser, *CHROMIUM_FLAGS, "--dump-dom", page.as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    table = dom[dom.index('id="findings"'):]
    assert table.count("<tr>") >= 3  # two header rows and at least one finding
    assert "phone-in-text" in table and "description" in table and "+** *** *******" in table
