"""Many seeded random files: the engine agrees with frictionless.validate on each."""

from __future__ import annotations

from pathlib import Path

import pytest
from differential import explain, run_case
from generate import make_table

SEEDS = range(200)


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_file_agrees_with_frictionless(seed: int, tmp_path: Path) -> None:
    table = make_table(seed)
    outcome = run_case(tmp_path, [table])
    assert outcome.agree, f"seed {seed}\n{explain(outcome)}"


def test_most_generated_files_go_through_the_engine(tmp_path: Path) -> None:
    engine = sum(bool(run_case(tmp_path / str(s), [make_table(s)]).engine) for s in range(40))
    assert engine >= 30
