import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.anonymity import measure_k, unique_share
from publisher.errors import BlockedError
from publisher.steps._generalise import Hierarchy
from publisher.steps._kanon import enforce_k
from tests.steps.helpers import pkg, run, table

HIERARCHIES = [Hierarchy(column="age", kind="band", levels=[5, 10, 20]),
               Hierarchy(column="sex"),
               Hierarchy(column="plz", kind="postcode", levels=[4, 3, 2])]


def people(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "age": rng.integers(18, 95, n).astype(str),
        "sex": rng.choice(["m", "w", "d"], n),
        "plz": rng.choice(["04109", "04103", "04229", "04317", "04155", "01067"], n),
        "value": rng.integers(0, 100, n).astype(str)}).astype("str")


def test_measure_k_and_unique_share():
    frame = pd.DataFrame({"a": ["x", "x", "y", None], "b": ["1", "1", "1", None]})
    assert measure_k(frame, ["a", "b"]) == 1
    assert measure_k(frame.iloc[:2], ["a", "b"]) == 2
    assert unique_share(frame, ["a", "b"]) == 0.5
    assert measure_k(frame.iloc[:0], ["a"]) == 0


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 400), st.integers(2, 10), st.sampled_from([0.0, 0.02, 0.1]),
       st.integers(0, 10_000))
def test_enforcement_reaches_k_or_reports_that_it_could_not(n, k, budget, seed):
    frame = people(n, seed)
    published, result = enforce_k(frame, HIERARCHIES, k, budget)
    measured = measure_k(published, ["age", "sex", "plz"])
    assert measured == result.k_reached
    if result.reached:
        assert measured >= k
        # beyond the budget only a class absorbed whole: one that could not spare the
        # records missing from k (fewer than k + k - 1), and then the run says so
        assert result.rows_touched <= int(budget * n) + 2 * k - 2
        if result.rows_touched > int(budget * n):
            assert any("beyond the" in note for note in result.notes)
    else:
        assert result.notes  # says why
    if n >= k:
        assert measured >= k  # suppression always gets there when there are k records
    assert published["value"].tolist() == frame["value"].tolist()
    assert len(published) == n


def test_step_generalises_then_suppresses_and_reports():
    frame = people(500)
    res = table("people", frame.to_dict("list"))
    qis = [h.model_dump() for h in HIERARCHIES]
    outcome = run("k-anonymise", pkg(res), quasi_identifiers=qis, k=5)
    assert measure_k(res.table(), ["age", "sex", "plz"]) >= 5
    figures = outcome.stats["resources"]["people"]
    assert figures["k_before"] == 1 and figures["k_reached"] >= 5 and figures["reached"]
    assert outcome.stats["k_reached"] >= 5 and outcome.stats["k_asked"] == 5
    assert outcome.stats["rows_suppressed"] == figures["rows_touched"] <= 25
    assert set(outcome.stats["generalisation"]) == {"people.age", "people.sex", "people.plz"}


def test_step_blocks_when_k_cannot_be_reached():
    res = table("people", people(3).to_dict("list"))
    with pytest.raises(BlockedError) as info:
        run("k-anonymise", pkg(res), quasi_identifiers=[{"column": "sex"}], k=5)
    assert "k = 5 not reached" in info.value.message and "people" in info.value.message
