"""Ragged CSV rows as findings of a check (the row rules: publisher.package.csvio.rows).

Not a rule of a policy: every check reports them, whatever its policy, as
validation does, with the same types (extra-cell, missing-cell). The rules read
those rows cut or padded to the header, so cells beyond it went unchecked: the
findings block.
"""

from __future__ import annotations

from pathlib import Path

from publisher.errors import InputError
from publisher.package.csvio import RaggedRow, csv_options, ragged_hint, ragged_rows, read_header
from publisher.package.model import Package
from publisher.report import Finding, Severity

LISTED = 100  # ragged rows listed cell by cell; the rest are summed up in one finding


def row_findings(package: Package) -> list[Finding]:
    """The ragged rows of the package's CSV files. A table in memory is not
    looked at: in a check it was read from the file (whose rows are looked at);
    in a re-check a step changed it, after validation found no ragged row."""
    out: list[Finding] = []
    for resource in package.resources:
        if resource.format != "csv":
            continue
        path = resource.projection.file if resource.projection is not None else resource.path
        if path is None:
            continue
        try:
            opts = csv_options(resource.descriptor, resource.name)
            found = ragged_rows(path, opts)
            if found:
                out.extend(_findings(resource.name, path, found,
                                     read_header(path, opts, resource.name)))
        except InputError:
            continue  # not a file to read as CSV (the loader took it in as another format)
    return out


def _findings(resource: str, path: Path, found: list[RaggedRow],
              header: list[str]) -> list[Finding]:
    out = [f for ragged in found[:LISTED] for f in _cells(resource, path, ragged, header)]
    if len(found) > LISTED:
        rest = found[LISTED:]
        out.append(Finding(
            "extra-cell" if rest[0].more else "missing-cell",
            f"resource '{resource}': {len(rest):,} more rows of {path.name}, from row "
            f"{rest[0].row} on, have another number of cells than its header",
            Severity.BLOCK, resource, rest[0].row, count=len(rest),
            hint=ragged_hint(path.name, rest[0].row, rest[0].more)))
    return out


def _cells(resource: str, path: Path, ragged: RaggedRow, header: list[str]) -> list[Finding]:
    """One finding per extra or missing cell, as validation (and frictionless) gives them."""
    told = f"{ragged.cells} cells, the header {ragged.width}"
    hint = ragged_hint(path.name, ragged.row, ragged.more)
    if ragged.more:
        return [Finding("extra-cell", f"Extra Cell in resource '{resource}', row {ragged.row}, "
                        f"column {column} ({told}); the cells beyond the header were not "
                        "checked", Severity.BLOCK, resource, ragged.row, hint=hint)
                for column in range(ragged.width + 1, ragged.cells + 1)]
    return [Finding("missing-cell", f"Missing Cell in resource '{resource}', row {ragged.row}, "
                    f"field '{name}' ({told})", Severity.BLOCK, resource, ragged.row, name,
                    hint=hint)
            for name in header[ragged.cells:]]
