"""Rules and steps are generic in their parameters: the class header names the
Params model once, and every registered class has its own."""

from __future__ import annotations

import pytest
from pydantic import Field

from publisher.rules.base import Rule, RuleParams, rules
from publisher.rules.email_in_text import EmailInText
from publisher.rules.min_cell_count import MinCellCount, MinCellCountParams
from publisher.rules.vehicle_plate_in_text import VehiclePlateInText, VehiclePlateParams
from publisher.steps.base import Step, StepParams, steps
from publisher.steps.drop_columns import DropColumns, DropColumnsParams
from publisher.steps.truncate_postcode import TruncatePostcodeParams


def test_params_come_from_the_class_header() -> None:
    assert MinCellCount.Params is MinCellCountParams
    assert VehiclePlateInText.Params is VehiclePlateParams  # through IdentifierRule[IP]
    assert DropColumns.Params is DropColumnsParams
    assert EmailInText.Params.__name__ == "IdentifierParams"


def test_every_registered_class_names_its_params() -> None:
    for type_id in rules.types():
        assert rules.get(type_id).Params is not RuleParams, type_id
    for type_id in steps.types():
        assert steps.get(type_id).Params is not StepParams, type_id


def test_a_subclass_without_a_header_argument_keeps_its_parents_params() -> None:
    class Stricter(MinCellCount):
        pass

    assert Stricter.Params is MinCellCountParams


def test_params_in_the_class_body_are_refused() -> None:
    class OwnParams(RuleParams):
        n: int = Field(1)

    with pytest.raises(TypeError, match="class header"):
        class Twice(Rule[OwnParams]):
            type = "twice"
            Params = OwnParams

            def check(self, package):  # type: ignore[no-untyped-def]
                return []


def test_params_of_another_model_are_refused() -> None:
    with pytest.raises(TypeError, match="drop-columns takes DropColumnsParams"):
        DropColumns(TruncatePostcodeParams.model_validate({"columns": ["plz"]}))
    with pytest.raises(TypeError, match="min-cell-count takes MinCellCountParams"):
        MinCellCount(RuleParams())


def test_a_step_built_from_its_params_is_typed() -> None:
    step: Step[DropColumnsParams] = DropColumns(DropColumnsParams(columns=["a"]))
    assert step.params.columns == ["a"]
