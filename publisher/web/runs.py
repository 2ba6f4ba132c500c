"""The console's view of runs: each run's report and journal (stage, status,
time per stage, findings by severity), newest first."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.api.errors import ApiError
from publisher.pipeline.journal import RUN_REPORT
from publisher.report import Finding, Severity
from publisher.settings import Settings

_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


@dataclass
class RunView:
    run_id: str
    report: dict[str, Any]
    started: str = ""
    seconds: float | None = None
    stages: list[tuple[str, float]] = field(default_factory=list)  # (stage, seconds)

    @property
    def status(self) -> str:
        return str(self.report.get("status", ""))

    @property
    def stage(self) -> str:
        return str(self.report.get("stage", ""))

    @property
    def pipeline(self) -> str:
        return str(self.report.get("pipeline", ""))

    def counts(self, stage: str) -> dict[str, int]:
        report = (self.report.get("reports") or {}).get(stage) or {}
        counts = report.get("counts") or {}
        return {str(k): int(v) for k, v in counts.items()}

    def findings(self, stage: str) -> list[Finding]:
        report = (self.report.get("reports") or {}).get(stage) or {}
        return [Finding.from_dict(f) for f in report.get("findings") or []]

    def by_column(self, stage: str) -> list[dict[str, Any]]:
        report = (self.report.get("reports") or {}).get(stage) or {}
        return list(report.get("by_column") or [])

    def unaccepted(self) -> list[dict[str, Any]]:
        """The re-check's warnings that no acceptance covers, one per rule and place."""
        acceptance = self.report.get("acceptance") or {}
        if not acceptance.get("unaccepted_warnings"):
            return []
        covered = {(e.get("rule"), e.get("resource"), e.get("field"))
                   for e in acceptance.get("entries") or [] if e.get("warnings")}
        places: dict[tuple[str, str | None, str | None], dict[str, Any]] = {}
        for f in self.findings("recheck"):
            key = (f.rule or f.type, f.resource, f.field)
            if f.severity is not Severity.WARN or key in covered:
                continue
            place = places.setdefault(key, {"rule": key[0], "resource": key[1],
                                            "field": key[2], "message": f.message,
                                            "count": 0})
            place["count"] += f.occurrences
        return list(places.values())


def _timings(journal: Path) -> tuple[str, float | None, list[tuple[str, float]]]:
    if not journal.is_file():
        return "", None, []
    events = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    if not events:
        return "", None, []
    marks = [(str(e["stage"]), float(e["elapsed_s"])) for e in events if e["event"] == "stage"]
    end = next((float(e["elapsed_s"]) for e in events if e["event"] == "end"),
               float(events[-1]["elapsed_s"]))
    stages = [(name, round((marks[i + 1][1] if i + 1 < len(marks) else end) - at, 3))
              for i, (name, at) in enumerate(marks)]
    return str(events[0]["at"]), round(end, 3), stages


def load_run(settings: Settings, run_id: str) -> RunView:
    folder = settings.runs_dir / run_id
    report = folder / RUN_REPORT
    if not _RUN_ID.match(run_id) or ".." in run_id or not report.is_file():
        raise ApiError(404, "not-found", f"no run '{run_id}'")
    started, seconds, stages = _timings(folder / "journal.jsonl")
    return RunView(run_id=run_id, report=json.loads(report.read_text(encoding="utf-8")),
                   started=started, seconds=seconds, stages=stages)


def list_runs(settings: Settings, limit: int = 50) -> list[RunView]:
    if not settings.runs_dir.is_dir():
        return []
    folders = sorted((p for p in settings.runs_dir.iterdir()
                      if (p / RUN_REPORT).is_file()), key=lambda p: p.name, reverse=True)
    return [load_run(settings, p.name) for p in folders[:limit]]
