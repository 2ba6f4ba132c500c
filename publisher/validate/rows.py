"""Findings about ragged CSV rows name the file and the fix (the row rules:
publisher.package.csvio.rows), whichever validator found them."""

from __future__ import annotations

from publisher.package.csvio import ragged_hint
from publisher.package.model import Resource
from publisher.report import Finding

RAGGED = ("extra-cell", "missing-cell")


def name_ragged_rows(findings: list[Finding], resource: Resource) -> None:
    """Give each extra-cell / missing-cell finding of a CSV file a hint naming
    the file, its row and what to do (a hint it has already is kept)."""
    if resource.format != "csv" or resource.path is None:
        return
    file = resource.path.name
    for finding in findings:
        if finding.type in RAGGED and finding.hint is None and finding.row is not None:
            finding.hint = ragged_hint(file, finding.row, finding.type == "extra-cell")
