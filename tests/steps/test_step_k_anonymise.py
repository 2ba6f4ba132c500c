import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.anonymity import measure_k, unique_share
from publisher.errors import BlockedError, InputError
from publisher.passes import Combinations
from publisher.steps import _kanon
from publisher.steps._coded import of_combinations
from publisher.steps._generalise import Hierarchy
from publisher.steps._kanon import KResult, enforce_coded, enforce_k, measured_k
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


def _by_combination(frame: pd.DataFrame, hierarchies: list[Hierarchy], k: int,
                    budget: float) -> tuple[pd.DataFrame, KResult, list[int]]:
    """enforce_coded over the frame's distinct combinations weighted by their records
    (as a cluster's workers count them), the donors found among the records, the
    published values computed from each record's own (as the workers write them);
    the published table, the result and the donor counts asked for."""
    columns = list(dict.fromkeys(h.column for h in hierarchies))
    positions = pd.Series(frame.index.to_numpy())
    grouped = positions.groupby([frame[c].reset_index(drop=True) for c in columns],
                                sort=False, dropna=False)
    sizes = grouped.size()
    combos = Combinations(
        pa.table({c: pa.array(sizes.index.get_level_values(i).to_numpy(dtype=object),
                              pa.large_string(), from_pandas=True)
                  for i, c in enumerate(columns)}),
        sizes.to_numpy(), grouped.min().to_numpy())
    coded, rows, weights = of_combinations(combos, columns)
    asked: list[int] = []

    def donors(marks: _kanon.ByValues, count: int) -> np.ndarray:
        asked.append(count)
        return frame.index.to_numpy()[np.flatnonzero(marks(frame))[:count]]

    result = enforce_coded(coded, rows, hierarchies, k, budget, where="people",
                           weights=weights, donors=donors)
    assert measured_k(coded, weights) == measure_k(frame, columns)
    values = _kanon.published_by_values(result, hierarchies, coded, "people").published(frame)
    published = frame.copy()
    for column in columns:
        published[column] = values[column].to_numpy()
        published[column] = published[column].astype("string")
    return published, result, asked


def _same_enforcement(frame: pd.DataFrame, hierarchies: list[Hierarchy], k: int,
                      budget: float) -> list[int]:
    whole, expected = enforce_k(frame, hierarchies, k, budget)
    published, result, asked = _by_combination(frame, hierarchies, k, budget)
    for name in ("k_reached", "reached", "levels", "records", "rows_touched",
                 "cells_suppressed", "notes"):
        assert getattr(result, name) == getattr(expected, name), name
    pd.testing.assert_frame_equal(published, whole)
    return asked


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 300), st.integers(2, 10), st.sampled_from([0.0, 0.02, 0.1]),
       st.integers(0, 10_000))
def test_combinations_weighted_by_their_records_enforce_as_the_records(n, k, budget, seed):
    """One search: over each record, or over the distinct combinations weighted by
    their records (a cluster's partial counts combined), the same levels, figures,
    notes and published values."""
    _same_enforcement(people(n, seed), HIERARCHIES, k, budget)


def _ages(counts: dict[int, int], seed: int = 3) -> pd.DataFrame:
    """Records whose ages fill decades: COUNTS[decade] records, ages spread over it,
    shuffled."""
    ages = [str(decade + i % 10) for decade, n in counts.items() for i in range(n)]
    order = np.random.default_rng(seed).permutation(len(ages))
    return pd.DataFrame({"age": np.array(ages)[order], "id": [str(i) for i in order]})


AGE = [Hierarchy(column="age", kind="band", levels=[10])]


def test_a_donor_class_spread_over_combinations_gives_its_first_records():
    # 20-29 spares the 4 records the lone 90-99 lacks: its first in file order
    frame = _ages({20: 30, 30: 6, 90: 1})
    assert _same_enforcement(frame, AGE, 5, 0.05) == [4]
    _, result = enforce_k(frame, AGE, 5, 0.05)
    assert result.rows_touched == 5 and any("beyond the" in n for n in result.notes)


def test_whole_classes_join_when_no_class_can_spare_records():
    frame = _ages({20: 8, 30: 6, 40: 7, 90: 1})
    assert _same_enforcement(frame, AGE, 5, 0.1) == []
    _, result = enforce_k(frame, AGE, 5, 0.1)
    assert result.rows_touched == 7 and result.k_reached == 7


def test_a_bad_value_is_counted_over_the_records_from_combinations():
    frame = _ages({20: 30, 30: 6})
    frame.loc[[5, 9, 20], "age"] = ["kaputt", "kaputt", "x"]
    errors = []
    for enforce in (lambda: enforce_k(frame, AGE, 5, 0.0, where="people"),
                    lambda: _by_combination(frame, AGE, 5, 0.0)):
        with pytest.raises(InputError) as raised:
            enforce()
        errors.append(str(raised.value))
    assert "holds 3 value(s) that are not numbers (first in row 5)" in errors[0], errors[0]
    assert errors[1] == errors[0]


def test_dates_labelled_record_by_record_as_value_by_value():
    """Over combinations each record's dates are truncated from its own value (on a
    cluster's workers); the labels are those the search gave each distinct value:
    zoned times keep their 'Z', empty cells stay empty."""
    rng = np.random.default_rng(5)
    n = 400
    days = rng.integers(1, 29, n)
    hours = rng.integers(0, 24, n)
    zoned = rng.random(n) < 0.5
    stamps = [f"2024-0{1 + i % 3}-{d:02d}T{h:02d}:{i % 60:02d}:00{'Z' if z else ''}"
              for i, (d, h, z) in enumerate(zip(days, hours, zoned, strict=True))]
    stamps[7] = stamps[100] = ""
    frame = pd.DataFrame({"at": stamps, "kind": rng.choice(["a", "b"], n)}).astype("str")
    hierarchies = [Hierarchy(column="at", kind="datetime", levels=["hour", "day", "month"]),
                   Hierarchy(column="kind")]
    for k, budget in ((2, 0.98), (2, 0.5), (3, 0.05), (5, 0.0)):  # hour, day, month, *
        _same_enforcement(frame, hierarchies, k, budget)
