"""Our verdict on CSV packages agrees with frictionless's own `validate`."""

from __future__ import annotations

import frictionless
import pytest
from validate_cases import CASES, build_package

from publisher.validate import validate_package


@pytest.mark.parametrize("case", ["table-valid", "table-broken"])
def test_agrees_with_frictionless_validate(case: str) -> None:
    descriptor = CASES / case / "datapackage.json"
    reference = frictionless.validate(str(descriptor), limit_errors=100_000)
    expected = {
        (error.type, getattr(error, "row_number", None), getattr(error, "field_name", None) or None)
        for task in reference.tasks for error in task.errors
    }
    ours = validate_package(build_package(case))
    got = {(f.type, f.row, f.field) for f in ours.findings}
    assert ours.valid == reference.valid
    assert got == expected
    assert (case == "table-valid") == ours.valid
