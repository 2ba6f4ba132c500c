"""The steps that make or protect counts mark the count field `"aggregate": "count"`,
so that min-cell-count on the re-check knows it (and never guesses from a name)."""

from pathlib import Path

import numpy as np

from publisher.package.aggregates import count_fields
from publisher.rules.min_cell_count import MinCellCount, MinCellCountParams
from publisher.steps.base import StepContext
from tests.steps.helpers import KEY, pkg, points, run, table

CASES = Path(__file__).parent.parent / "cases" / "steps"


def _marked(resource) -> list[str]:
    return [f["name"] for f in resource.schema["fields"] if f.get("aggregate") == "count"]


def test_grid_aggregate_marks_the_count_it_writes():
    x = np.array([4_530_010, 4_530_020, 4_530_030, 4_530_040.0])
    y = np.array([3_130_010, 3_130_020, 3_130_030, 3_130_040.0])
    res = points("p", x, y, kind=np.array(["a", "a", "a", "b"]))
    run("grid-aggregate", pkg(res), min_count=1, by=["kind"])
    assert _marked(res) == ["count"] == count_fields(res)
    # the re-check sees the cell of 1 that min_count: 1 let through
    rule = MinCellCount(MinCellCountParams(min_count=3))
    assert [(f.field, f.row) for f in rule.check(pkg(res))] == [("count", 3)]


def test_aggregate_areas_marks_the_count_it_writes():
    rng = np.random.default_rng(3)
    res = points("p", rng.uniform(12.31, 12.36, 5), rng.uniform(51.31, 51.36, 5),
                 crs="EPSG:4326")
    run("aggregate-areas", pkg(res), context=StepContext(base=CASES, secret=KEY),
        resource="p", areas={"file": "bezirke.geojson"}, area_id="id")
    assert _marked(res) == ["count"]


def test_suppress_small_cells_marks_the_count_it_protects():
    res = table("t", {"bezirk": ["Nord", "Süd"], "faelle": ["7", "9"]})
    assert count_fields(res) == []
    run("suppress-small-cells", pkg(res), count="faelle")
    assert _marked(res) == ["faelle"] == count_fields(res)
