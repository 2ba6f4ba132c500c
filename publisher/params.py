"""What typed parameters and figures declare beyond their types, as marks on
their fields (`Annotated[int, MARK]`; JSON Schemas do not change).

THRESHOLD: a parameter that is a threshold (a minimum count, a k, a resolution,
a width), `min_count: Annotated[int, THRESHOLD] = Field(3, ...)`; the audit record
lists each step's thresholds by it. SUMMED: a step figure
(publisher.steps.base.StepFigures) the audit record adds up over the steps.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel


class _Threshold:
    def __repr__(self) -> str:
        return "THRESHOLD"


THRESHOLD: Final = _Threshold()


def thresholds(params: BaseModel) -> dict[str, Any]:
    """The thresholds the parameters set (JSON-ready; unset and empty ones left out)."""
    names = marked_fields(type(params), THRESHOLD)
    dumped = params.model_dump(include=set(names))
    return {name: dumped[name] for name in names
            if dumped.get(name) is not None and dumped[name] != []}


class _Summed:
    def __repr__(self) -> str:
        return "SUMMED"


SUMMED: Final = _Summed()  # a step figure the audit record adds up over the steps


def marked_fields(model: type[BaseModel], mark: object) -> list[str]:
    """The names of the model's fields carrying the mark, in field order."""
    return [name for name, info in model.model_fields.items() if mark in info.metadata]
