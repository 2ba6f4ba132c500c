"""Engine errors as Findings, shaped like those from frictionless's errors."""

from __future__ import annotations

import frictionless as fl

from publisher.masking import mask
from publisher.report import Finding, Severity
from publisher.validate.engine.cells import Error

_ERRORS = (fl.errors.TypeError, fl.errors.ConstraintError, fl.errors.BlankRowError,
           fl.errors.ExtraCellError, fl.errors.MissingCellError, fl.errors.UniqueError,
           fl.errors.PrimaryKeyError, fl.errors.ForeignKeyError)
TITLES = {str(cls.type): str(cls.title) for cls in _ERRORS}


def finding(error: Error, resource: str,
            masked: dict[str | None, str | None] | None = None) -> Finding:
    """`masked` caches the samples of cell values already seen."""
    parts = [f"resource '{resource}'", f"row {error.row}"]
    if error.field_name:
        parts.append(f"field '{error.field_name}'")
    elif error.code == "extra-cell":
        parts.append(f"column {error.number}")
    message = f"{TITLES.get(error.code, error.code)} in {', '.join(parts)}"
    if error.note:
        message += f": {error.note}"
    if masked is not None and error.cell in masked:
        sample = masked[error.cell]
    else:
        sample = mask(error.cell) if error.cell not in (None, "") else None
        if masked is not None:
            masked[error.cell] = sample
    return Finding(type=error.code, message=message, severity=Severity.ERROR,
                   resource=resource, row=error.row, field=error.field_name, sample=sample)
