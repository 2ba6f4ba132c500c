"""The extent parameter of the coordinate rules: [min lon, min lat, max lon, max lat]
in degrees, by default Germany and Austria (RULES.md section 2), the same box the
geometry validation uses."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from publisher.validate.geometry import GERMANY_AUSTRIA


def _box(value: list[float]) -> list[float]:
    if len(value) != 4 or value[0] >= value[2] or value[1] >= value[3]:
        raise ValueError("extent is [min lon, min lat, max lon, max lat]")
    return value


def default_extent() -> list[float]:
    e = GERMANY_AUSTRIA
    return [e.min_lon, e.min_lat, e.max_lon, e.max_lat]


ExtentParam = Annotated[list[float], AfterValidator(_box),
                        Field(default_factory=default_extent, min_length=4, max_length=4)]
