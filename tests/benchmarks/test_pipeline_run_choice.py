"""benchmarks/pipeline_run.py --pipelines: which of the four runs a name chooses."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> Iterator[ModuleType]:
    sys.path.insert(0, str(BENCHMARKS))  # the script imports its helpers by name
    try:
        yield importlib.import_module("pipeline_run")
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_no_names_choose_every_run(bench: ModuleType) -> None:
    assert bench.chosen_runs(None) == [
        ("grid", "latlon"), ("k-anonymise", "latlon"), ("grid", "wkt"), ("k-anonymise", "wkt")]


def test_a_pipeline_runs_on_both_shapes_a_shape_on_one(bench: ModuleType) -> None:
    assert bench.chosen_runs(["grid"]) == [("grid", "latlon"), ("grid", "wkt")]
    assert bench.chosen_runs(["grid-latlon", "k-anonymise-wkt"]) == [
        ("grid", "latlon"), ("k-anonymise", "wkt")]


def test_an_unknown_name_says_the_known_ones(bench: ModuleType) -> None:
    with pytest.raises(SystemExit, match=r"unknown pipeline\(s\) grid-geojson; known: .*"
                                         r"grid-latlon"):
        bench.chosen_runs(["grid-geojson"])
