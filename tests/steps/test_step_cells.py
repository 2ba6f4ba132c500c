import numpy as np
import pandas as pd
import pytest

from publisher.errors import SpecError
from publisher.steps.base import StepContext
from publisher.steps.suppress_small_cells import secondary_suppression
from tests.steps.helpers import KEY, pkg, run, table


def crosstab() -> dict[str, list[str]]:
    return {"bezirk": ["Nord", "Nord", "Nord", "Süd", "Süd", "Süd"],
            "gruppe": ["a", "b", "c", "a", "b", "c"],
            "count": ["2", "10", "12", "9", "8", "0"]}


def test_small_cell_and_its_partners_in_every_line_are_suppressed():
    res = table("t", crosstab(), {"count": "integer"})
    outcome = run("suppress-small-cells", pkg(res))
    counts = res.table()["count"].tolist()
    assert counts[0] == "."  # primary: 2 < 3
    # every line (same bezirk, or same gruppe) holds 0 or >= 2 suppressed entries
    frame = res.table().assign(s=res.table()["count"] == ".")
    for dim in ("bezirk", "gruppe"):
        per_line = frame.groupby(dim)["s"].sum()
        assert not (per_line == 1).any()
    assert counts[5] == "0"  # a zero is no small cell and hides nothing
    assert outcome.stats["cells_suppressed_primary"] == 1
    assert outcome.stats["cells_suppressed_secondary"] >= 2
    assert "." in res.schema["missingValues"]


def test_total_rows_take_part_in_their_lines():
    data = {"bezirk": ["Nord", "Nord", "Nord"], "gruppe": ["a", "b", "Insgesamt"],
            "count": ["1", "40", "41"]}
    res = table("t", data)
    run("suppress-small-cells", pkg(res), total="Insgesamt")
    assert res.table()["count"].tolist()[:2] == [".", "."]


def test_without_secondary_only_primary():
    res = table("t", crosstab())
    run("suppress-small-cells", pkg(res), secondary=False)
    assert res.table()["count"].tolist() == [".", "10", "12", "9", "8", "0"]


def test_secondary_kernel_grows_until_no_line_has_one():
    frame = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]})
    counts = np.array([1.0, 10, 7, 8])
    suppressed, lonely = secondary_suppression(frame, ["a", "b"], counts, counts < 3)
    assert suppressed.all() and lonely == 0  # 2 x 2 with margins: all four


def test_missing_count_column_is_a_spec_error():
    with pytest.raises(SpecError):
        run("suppress-small-cells", pkg(table("t", {"a": ["1"]})))


def test_cell_key_keeps_zeros_is_stable_and_bounded():
    res = table("t", crosstab())
    outcome = run("perturb-cell-key", pkg(res), max_noise=2)
    first = res.table()["count"].tolist()
    res2 = table("t", crosstab())
    run("perturb-cell-key", pkg(res2), max_noise=2)
    assert res2.table()["count"].tolist() == first
    true = [int(c) for c in crosstab()["count"]]
    for t, p in zip(true, first, strict=True):
        assert (p == 0) == (t == 0) and abs(p - t) <= 2 and (t == 0 or p >= 1)
    assert outcome.stats["cells"] == 6 and KEY not in repr(outcome)


def test_cell_key_differs_under_another_key():
    big = {"id": [str(i) for i in range(200)], "count": ["50"] * 200}
    a, b = table("t", big), table("t", big)
    run("perturb-cell-key", pkg(a), context=StepContext(secret=KEY))
    run("perturb-cell-key", pkg(b), context=StepContext(secret=KEY[::-1]))
    assert a.table()["count"].tolist() != b.table()["count"].tolist()
    assert set(a.table()["count"]) <= set(range(48, 53))
