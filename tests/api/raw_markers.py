"""The raw personal data of the shipped defect-reports sample (reporter names,
e-mail addresses, addresses in the free text), in every form a file or an
answer could carry them: plain, JSON-escaped, HTML-escaped, URL-quoted."""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path
from urllib.parse import quote

RAW = Path(__file__).resolve().parents[2] / "pipelines" / "samples" / "defect-reports"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def raw_values() -> set[str]:
    with (RAW / "reports.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    values = {r["reporter_name"] for r in rows} | {r["reporter_email"] for r in rows}
    values |= {m.rstrip(".") for r in rows for m in _EMAIL.findall(r["description"])}
    return {v for v in values if v}


def variants(value: str) -> set[str]:
    return {value, json.dumps(value)[1:-1], html.escape(value), quote(value)}


def raw_markers() -> set[str]:
    return {form for value in raw_values() for form in variants(value)}
