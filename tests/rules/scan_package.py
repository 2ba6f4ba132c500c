"""A defect-report package for the scan tests: id, free text, reporter name and
e-mail per row, with its descriptor."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path


def reports_package(root: Path, rows: Iterable[tuple[str, str, str]]) -> Path:
    """ROWS of (note, reporter, e-mail) written as meldungen.csv in ROOT."""
    with (root / "meldungen.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "notiz", "melder", "email"])
        for i, row in enumerate(rows):
            writer.writerow([i, *row])
    fields = [{"name": n, "type": "string"} for n in ("notiz", "melder", "email")]
    (root / "datapackage.json").write_text(json.dumps({
        "name": "meldungen", "licenses": [{"name": "CC-BY-4.0"}],
        "resources": [{"name": "meldungen", "path": "meldungen.csv", "format": "csv",
                       "schema": {"fields": [{"name": "id", "type": "integer"}, *fields]}}],
    }), encoding="utf-8")
    return root
