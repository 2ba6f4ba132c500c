import os

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.errors import SpecError
from publisher.steps.base import StepContext
from publisher.steps.pseudonymise import pseudonyms
from tests.steps.helpers import KEY, pkg, run, table

values = st.lists(st.text(min_size=1, max_size=30).filter(lambda s: s.strip()), min_size=1,
                  max_size=30)
keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=16, max_size=40)


@settings(max_examples=60, deadline=None)
@given(values, keys, keys)
def test_pseudonyms_stable_under_one_key_and_differ_under_another(raw, key_a, key_b):
    series = pd.Series(raw, dtype="str")
    first = pseudonyms(series, key_a.encode())
    again = pseudonyms(series.sample(frac=1, random_state=1), key_a.encode())
    assert first.to_dict() == again.to_dict()  # stable, whatever the order
    # one value, one pseudonym; distinct values, distinct pseudonyms
    assert series.nunique() == first.nunique()
    if key_a != key_b:
        other = pseudonyms(series, key_b.encode())
        assert not (first == other).any()


identifiers = st.lists(st.text(min_size=8, max_size=40).filter(lambda s: s.strip()),
                      min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(identifiers)
def test_no_input_value_appears_in_the_output(raw):
    res = table("people", {"name": raw, "ort": ["A"] * len(raw)})
    run("pseudonymise", pkg(res), columns=["name"])
    out = res.table()["name"]
    for value in raw:
        assert not out.str.contains(value, regex=False).any()


def test_key_from_env_named_in_the_step_and_never_in_stats(monkeypatch):
    monkeypatch.setenv("CITY_KEY", "another-secret-key-xyz")
    res = table("people", {"email": ["a@example.de", "", "a@example.de"]})
    outcome = run("pseudonymise", pkg(res), context=StepContext(secret=KEY),
                  columns=["email"], key_env="CITY_KEY")
    values = res.table()["email"]
    assert values.iloc[0] == values.iloc[2] and pd.isna(values.iloc[1])
    assert len(values.iloc[0]) == 20
    assert values.iloc[0] == pseudonyms(pd.Series(["a@example.de"]),
                                        b"another-secret-key-xyz").iloc[0]
    assert "secret" not in repr(outcome) and KEY not in repr(outcome)
    assert res.schema["fields"][0]["type"] == "string"
    assert "HMAC" in res.schema["fields"][0]["description"]


def test_missing_or_short_key_is_a_spec_error():
    res = table("people", {"name": ["Anna"]})
    os.environ.pop("NO_SUCH_KEY", None)
    with pytest.raises(SpecError) as info:
        run("pseudonymise", pkg(res), context=StepContext(), columns=["name"])
    assert "PUBLISHER_PSEUDONYM_KEY" in str(info.value)
    with pytest.raises(SpecError):
        run("pseudonymise", pkg(res), context=StepContext(secret="short"), columns=["name"])
    assert res.table()["name"].tolist() == ["Anna"]
