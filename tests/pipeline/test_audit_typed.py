"""The audit reads typed data: step thresholds by the THRESHOLD mark on the
parameter fields, summed figures by the SUMMED mark on StepFigures."""

from __future__ import annotations

from typing import Annotated

import numpy as np
import yaml
from pydantic import Field

from publisher.params import SUMMED, THRESHOLD, marked_fields, thresholds
from publisher.pipeline.audit import _k, _lost, _thresholds
from publisher.steps.base import StepFigures, StepOutcome, StepParams, steps
from publisher.steps.drop_columns import DropColumnsParams
from publisher.steps.grid_aggregate import GridAggregate, GridAggregateParams

# The parameter names the audit once picked from every step's params by name.
NAMED_BEFORE = ("min_count", "k", "max_suppression", "resolution", "merge_up", "min_distance",
                "max_distance", "max_noise", "decimals", "metres", "width", "unit", "keep")


def _example_params(type_id: str) -> StepParams:
    cls = steps.get(type_id)
    (entry,) = yaml.safe_load(cls.example)
    return cls.Params.model_validate({k: v for k, v in entry.items() if k != "type"})


def test_every_step_marks_the_thresholds_the_audit_listed_by_name() -> None:
    for type_id in steps.types():
        params = _example_params(type_id)
        dumped = params.model_dump()
        by_name = {k: dumped[k] for k in NAMED_BEFORE
                   if dumped.get(k) is not None and dumped.get(k) != []}
        assert thresholds(params) == by_name, type_id


def test_thresholds_are_found_by_the_mark_not_the_name() -> None:
    class Params(StepParams):
        min_count: int = Field(3)  # not marked: not a threshold
        spread: Annotated[float, THRESHOLD] = Field(0.5)
        ladder: Annotated[list[int], THRESHOLD] = Field(default_factory=list)

    assert thresholds(Params()) == {"spread": 0.5}
    assert thresholds(DropColumnsParams(columns=["a"])) == {}
    step = GridAggregate(GridAggregateParams(resolution=250, merge_up=[1000]))
    assert _thresholds([step]) == [{"step": 1, "type": "grid-aggregate", "resolution": 250,
                                    "min_count": 3, "merge_up": [1000]}]


def test_step_figures_are_typed_and_the_summed_ones_declared() -> None:
    assert marked_fields(StepFigures, SUMMED) == [
        "rows_suppressed", "cells_suppressed", "points_suppressed", "cells_merged",
        "points_merged"]
    outcome = StepOutcome(stats={"cells_suppressed": np.int64(4), "k_asked": 3,
                                 "k_reached": None, "resources": {"r": {"x": 1}},
                                 "cells_by_resolution": {100: 2, 1000: np.int64(1)}})
    figures = outcome.figures
    assert figures.cells_suppressed == 4 and type(figures.cells_suppressed) is int
    assert figures.cells_by_resolution == {100: 2, 1000: 1}
    assert _k([figures]) == {"asked": 3, "reached": None}
    lost = _lost([figures, StepFigures(cells_suppressed=1, mean_displacement_m=123.456,
                                       columns_dropped={"r": ["name"]})])
    assert lost == {"columns_dropped": {"r": ["name"]}, "generalisation": {},
                    "cells_suppressed": 5, "cells_merged": 0, "mean_displacement_m": 123.5,
                    "grid_cells_by_resolution_m": {100: 2, 1000: 1}}
