from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from publisher.pipeline.run import Status, _describe, run_pipeline
from publisher.report import Finding, Severity
from publisher.settings import load_settings
from tests.conftest import ROOT

DEFECTS = ROOT / "pipelines" / "defect-reports.yaml"
SAMPLE = ROOT / "pipelines" / "samples" / "defect-reports"
KEY = "audit-test-secret-key-0123456789"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
FINE_COORDINATE = re.compile(r"\b\d{1,3}\.\d{4,}\b")


def _raw_values() -> set[str]:
    import csv

    with (SAMPLE / "reports.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {row[c] for row in rows for c in ("reporter_name", "reporter_email", "lat", "lon")
            if row[c]}


def test_defect_reports_publish_their_audit_record_beside_the_data(home: Path) -> None:
    result = run_pipeline(DEFECTS, load_settings(home=home))
    assert result.status is Status.PUBLISHED, result.message
    assert result.publish is not None
    version = Path(result.publish.location)
    audit = json.loads((version / "reports" / "audit.json").read_text(encoding="utf-8"))
    page = (version / "reports" / "audit.html").read_text(encoding="utf-8")

    assert audit["legal"]["review_date"] == "2027-06-30"
    assert "12a EGovG" in audit["legal"]["legal_basis"]
    inputs = {i["file"]: i["sha256"] for i in audit["inputs"]}
    assert inputs["reports.csv"] == hashlib.sha256(
        (SAMPLE / "reports.csv").read_bytes()).hexdigest()
    assert "datapackage.json" in inputs
    assert [s["type"] for s in audit["steps"]] == ["drop-columns", "grid-aggregate"]
    assert audit["thresholds"][0]["min_count"] == 3
    risk = audit["residual_risk"]["reports"]
    assert risk["before"]["unique_share"] == 1.0 and risk["before"]["smallest_class"] == 1
    assert risk["after"]["kind"] == "aggregate" and risk["after"]["unique_share"] == 0.0
    assert risk["after"]["smallest_cell"] >= 3
    assert audit["k"] == {"asked": 3, "reached": risk["after"]["smallest_cell"]}
    assert audit["information_lost"]["columns_dropped"]["reports"] == [
        "reporter_name", "reporter_email", "description"]
    assert audit["checks"]["recheck"]["valid"] is True
    for heading in ("Legal basis", "Inputs", "Residual risk", "Information lost", "Steps"):
        assert heading in page
    assert "<script" not in page and "http" not in page.split("<body>")[1]

    text = json.dumps(audit, ensure_ascii=False) + page
    assert not any(value in text for value in _raw_values())
    assert not EMAIL.search(text) and not FINE_COORDINATE.search(text)
    assert str(home) not in text and str(ROOT) not in text  # no local paths


def test_the_audit_page_keeps_republishing_unchanged(home: Path) -> None:
    first = run_pipeline(DEFECTS, load_settings(home=home))
    second = run_pipeline(DEFECTS, load_settings(home=home))
    assert first.status is Status.PUBLISHED and second.status is Status.UNCHANGED
    assert second.publish is not None
    assert (Path(second.publish.location) / "reports" / "audit.html").is_file()


def _pipeline(tmp_path: Path, steps: str, name: str = "keyed") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nsource: {SAMPLE}\npolicy: de-open-data\nsteps:\n{steps}"
        "target: {type: local}\n"
        f"dataset: {{name: {name}, title: T, description: D, publisher: Stadt Musterstadt,"
        " license: dl-by-de/2.0}\n", encoding="utf-8")
    return path


KEYED_STEPS = """\
  - {type: drop-columns, resource: reports, columns: [reporter_name]}
  - {type: pseudonymise, resource: reports, columns: [reporter_email]}
  - {type: redact-text, resource: reports, columns: [description]}
  - {type: truncate-datetime, resource: reports, columns: [reported_at], unit: month}
  - {type: grid-aggregate, resource: reports, resolution: 1000, min_count: 3,
     merge_up: [10000], by: [category]}
"""


def test_the_key_never_reaches_any_output(home: Path, tmp_path: Path) -> None:
    settings = load_settings(home=home, pseudonym_key=KEY)
    result = run_pipeline(_pipeline(tmp_path, KEYED_STEPS), settings)
    assert result.status is Status.PUBLISHED, result.message
    written = [p for p in home.rglob("*") if p.is_file() and p.suffix != ".sqlite"]
    assert written
    for path in written:
        assert KEY not in path.read_text(encoding="utf-8", errors="replace"), path
    audit = json.loads((Path(result.publish.location if result.publish else "") /
                        "reports" / "audit.json").read_text(encoding="utf-8"))
    types = [s["type"] for s in audit["steps"]]
    assert types == ["drop-columns", "pseudonymise", "redact-text", "truncate-datetime",
                     "grid-aggregate"]
    assert audit["steps"][2]["figures"]["cells_redacted"] > 0


def test_pseudonymise_without_a_key_stops_before_publishing(home: Path,
                                                            tmp_path: Path) -> None:
    result = run_pipeline(_pipeline(tmp_path, KEYED_STEPS, "nokey"), load_settings(home=home))
    assert result.status is Status.FAILED and result.stage == "anonymise"
    assert "PUBLISHER_PSEUDONYM_KEY" in result.message
    assert not (home / "catalog" / "datasets").exists()


def test_blocking_message_names_a_step_when_the_rule_gives_no_hint() -> None:
    finding = Finding(type="phone-in-text", message="a phone number", severity=Severity.BLOCK,
                      resource="r", row=4, field="text")
    text = _describe(finding)
    assert "phone-in-text at resource 'r', row 4, field 'text'" in text
    assert "redact-text" in text
    hinted = Finding(type="x", message="m", hint="use grid-aggregate")
    assert _describe(hinted).endswith("(fix: use grid-aggregate)")
    assert text.endswith("(fix: steps: redact-text, drop-columns)")
    # a validation finding: no rule declares a fix, so none is guessed from its type
    extra = Finding(type="extra-cell", message="a row has more cells than the header",
                    severity=Severity.BLOCK, resource="r", row=3)
    assert "fix:" not in _describe(extra)


def test_the_audit_page_shows_findings_by_column_and_a_residual_uniqueness_flag(
        home: Path) -> None:
    result = run_pipeline(DEFECTS, load_settings(home=home))
    assert result.publish is not None, result.message
    reports = Path(result.publish.location) / "reports"
    audit = json.loads((reports / "audit.json").read_text(encoding="utf-8"))
    page = (reports / "audit.html").read_text(encoding="utf-8")
    emails = {g["field"]: g["occurrences"] for g in audit["checks"]["check"]["by_column"]
              if g["rule"] == "email-in-text"}
    assert emails["reporter_email"] == 551 and emails["description"] > 100
    assert "check: findings by rule and column" in page and "reporter_email" in page
    after = audit["residual_risk"]["reports"]["after"]
    assert after["unique_share"] == 0.0 and after["above_threshold"] is False
    assert "No published personal resource is above the threshold" in page
    assert audit["accepted_warnings"] == [] and "The pipeline accepts no warning" in page
