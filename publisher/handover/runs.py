"""The run history that goes into a bundle: the runs that published (or
confirmed unchanged) a version the bundle holds, reduced to what is safe to
hand over.

A run report as written holds the full validate and check reports of the raw
package: findings with masked samples, and statistics such as the raw extent.
The bundle keeps what publication keeps (`_published_reports` in the runner):
counts only. Journals carry counts by design; they are scrubbed the same way
in case an older journal holds more. Local paths become bundle paths.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher.package.paths import is_safe_name
from publisher.pipeline.journal import RUN_REPORT
from publisher.report import Report

PUBLISHING = ("published", "unchanged")
_DROP = frozenset({"sample", "samples", "run_dir", "exception"})


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    directory: Path
    report: dict[str, Any]
    pipeline: str
    dataset: str
    version: int
    status: str


def find_runs(runs_dir: Path, wanted: Mapping[str, set[int]]) -> tuple[list[RunRecord], list[str]]:
    """Runs whose publish result names a wanted (dataset, version), oldest
    first, and warnings about run directories that could not be read."""
    records: list[RunRecord] = []
    warnings: list[str] = []
    if not runs_dir.is_dir():
        return records, warnings
    for directory in sorted(p for p in runs_dir.iterdir() if p.is_dir()):
        path = directory / RUN_REPORT
        if not is_safe_name(directory.name) or not path.is_file():
            continue
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            publish = report.get("publish") or {}
            dataset, version = str(publish["dataset"]), int(publish["version"])
            status = str(report["status"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            if _mentions(path, wanted):
                warnings.append(f"run {directory.name}: the run report cannot be read; "
                                "left out")
            continue
        if status in PUBLISHING and version in wanted.get(dataset, set()):
            records.append(RunRecord(directory.name, directory, report,
                                     str(report.get("pipeline", "")), dataset, version, status))
    return records, warnings


def _mentions(path: Path, wanted: Mapping[str, set[int]]) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(f'"{name}"' in text for name in wanted)


def scrub(value: Any) -> Any:
    """Drop samples and local paths; keep only the count of any findings list."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in _DROP:
                continue
            out[key] = len(item) if key == "findings" and isinstance(item, list) else scrub(item)
        return out
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def _summary(report: Any) -> Any:
    if not isinstance(report, dict):
        return None
    try:
        return Report.from_dict(report).summary()
    except (KeyError, TypeError, ValueError, AttributeError):
        return {"stage": report.get("stage"), "valid": report.get("valid")}


def bundle_report(record: RunRecord, version_path: str) -> dict[str, Any]:
    """The run report as the bundle keeps it."""
    report = dict(record.report)
    report["file"] = Path(str(report.get("file", ""))).name
    reports = report.get("reports")
    if isinstance(reports, dict):
        report["reports"] = {name: _summary(r) for name, r in reports.items()}
    publish = report.get("publish")
    if isinstance(publish, dict):
        location = str(publish.get("location", ""))
        publish = dict(publish, location=version_path, files=[
            _relative(str(f), location) for f in publish.get("files", []) or []])
        report["publish"] = publish
    result: dict[str, Any] = scrub(report)
    return result


def _relative(path: str, root: str) -> str:
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return Path(path).name


def bundle_journal(record: RunRecord) -> bytes:
    """The journal with each event scrubbed; lines that do not parse are left out."""
    path = record.directory / "journal.jsonl"
    if not path.is_file():
        return b""
    lines = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict):
            lines.append(json.dumps(scrub(event), ensure_ascii=False, default=str))
    return ("\n".join(lines) + "\n").encode() if lines else b""
