"""The run journal: one JSON line per event, counts and figures only.

Events never carry data values or finding samples (report summaries only), so
the journal is safe to keep and ship as a log.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RUN_REPORT = "run-report.json"  # beside journal.jsonl in each run's directory


def new_run_id(pipeline: str) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{pipeline}-{secrets.token_hex(3)}"


class Journal:
    def __init__(self, run_dir: Path):
        self.run_dir = run_dir
        run_dir.mkdir(parents=True, exist_ok=True)
        self.path = run_dir / "journal.jsonl"
        self._t0 = time.monotonic()

    def event(self, event: str, **fields: Any) -> None:
        record = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                  "elapsed_s": round(time.monotonic() - self._t0, 3), "event": event, **fields}
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")

    def write_report(self, report: dict[str, Any]) -> Path:
        path = self.run_dir / RUN_REPORT
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n",
                        encoding="utf-8")
        return path
