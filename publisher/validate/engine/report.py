"""Engine errors as Findings, shaped like those from frictionless's errors."""

from __future__ import annotations

import frictionless as fl
import numpy as np
import numpy.typing as npt

from publisher.masking import mask
from publisher.report import Finding, Severity
from publisher.validate.engine.cells import Kind

_ERRORS = (fl.errors.TypeError, fl.errors.ConstraintError, fl.errors.BlankRowError,
           fl.errors.ExtraCellError, fl.errors.MissingCellError, fl.errors.UniqueError,
           fl.errors.PrimaryKeyError, fl.errors.ForeignKeyError)
TITLES = {str(cls.type): str(cls.title) for cls in _ERRORS}


def _parts(kind: Kind, resource: str) -> tuple[str, str, str | None]:
    """What comes before the row number in the message, what after, and the
    masked sample of the cell."""
    head = f"{TITLES.get(kind.code, kind.code)} in resource '{resource}', row "
    tail = ""
    if kind.field_name:
        tail = f", field '{kind.field_name}'"
    elif kind.code == "extra-cell":
        tail = f", column {kind.number}"
    if kind.note:
        tail += f": {kind.note}"
    sample = mask(kind.cell) if kind.cell not in (None, "") else None
    return head, tail, sample


def findings(resource: str, kinds: list[Kind], rows: npt.NDArray[np.int64],
             which: npt.NDArray[np.int64]) -> list[Finding]:
    """One finding per error: row `rows[i]`, of kind `kinds[which[i]]`."""
    parts = [(kind.code, *_parts(kind, resource), kind.field_name) for kind in kinds]
    error = Severity.ERROR
    out = []
    # positional arguments (type, message, severity, resource, row, field, rule,
    # sample): a bad file makes tens of thousands, and keywords cost more
    for row, index in zip(rows.tolist(), which.tolist(), strict=True):
        code, head, tail, sample, name = parts[index]
        out.append(Finding(code, f"{head}{row}{tail}", error, resource, row, name, None, sample))
    return out
