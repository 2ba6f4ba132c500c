import pandas as pd
import pytest
from pydantic import ValidationError

from publisher.errors import InputError, SpecError
from publisher.steps._generalise import Hierarchy, band, truncate_datetime, truncate_postcode
from tests.steps.helpers import pkg, run, table


def test_band_numbers_in_5_year_bands_with_open_top():
    res = table("people", {"alter": ["23", "37", "", "94", "40"]}, {"alter": "integer"})
    outcome = run("band-numbers", pkg(res), columns=["alter"], width=5, top=90)
    assert res.table()["alter"].tolist()[:2] == ["20-24", "35-39"]
    assert pd.isna(res.table()["alter"].iloc[2])
    assert res.table()["alter"].tolist()[3:] == ["90+", "40-44"]
    assert res.schema["fields"][0]["type"] == "string"
    assert outcome.stats["generalisation"] == {"people.alter": "bands of 5"}


def test_band_of_decimals_reads_half_open():
    assert band(pd.Series(["2.5", "7.1"]), 2.5).tolist() == ["2.5-<5", "5-<7.5"]


def test_band_rejects_text_without_echoing_it():
    with pytest.raises(InputError) as info:
        band(pd.Series(["12", "Anna"]), 5, column="alter", where="people")
    assert "Anna" not in str(info.value) and "row 1" in str(info.value)


@pytest.mark.parametrize(("unit", "expected", "kind"), [
    ("hour", "2024-05-07T14:00:00Z", "datetime"), ("day", "2024-05-07", "date"),
    ("month", "2024-05", "yearmonth"), ("year", "2024", "year")])
def test_truncate_datetime_units_and_field_types(unit: str, expected: str, kind: str):
    res = table("t", {"at": ["2024-05-07T14:23:16Z"]}, {"at": "datetime"})
    run("truncate-datetime", pkg(res), columns=["at"], unit=unit)
    assert res.table()["at"].tolist() == [expected]
    assert res.schema["fields"][0]["type"] == kind


def test_truncate_datetime_keeps_missing_and_rejects_garbage():
    assert pd.isna(truncate_datetime(pd.Series([""]), "day").iloc[0])
    with pytest.raises(InputError):
        truncate_datetime(pd.Series(["gestern"]), "day")


def test_truncate_postcode():
    res = table("t", {"plz": ["04109", "1010", ""]})
    run("truncate-postcode", pkg(res), columns=["plz"], keep=3)
    values = res.table()["plz"].tolist()
    assert values[:2] == ["041xx", "101x"] and pd.isna(values[2])
    assert truncate_postcode(pd.Series(["04109"]), 0).tolist() == ["xxxxx"]


def test_unknown_column_is_a_spec_error():
    with pytest.raises(SpecError):
        run("band-numbers", pkg(table("t", {"a": ["1"]})), columns=["b"], width=5)


def test_hierarchy_levels_are_checked():
    with pytest.raises(ValidationError):
        Hierarchy(column="a", kind="datetime", levels=["week"])
    with pytest.raises(ValidationError):
        Hierarchy(column="a", kind="band", levels=[0])
    h = Hierarchy(column="a", kind="postcode", levels=[4, 2])
    assert h.top == 3 and h.label(0) == "original" and h.label(3) == "suppressed"
    assert h.apply(pd.Series(["04109"]), 2).tolist() == ["04xxx"]
    assert h.apply(pd.Series(["04109"]), 3).tolist() == ["*"]


@pytest.mark.parametrize("unit", ["minute", "hour", "day", "month", "year"])
@pytest.mark.parametrize("repeated", [True, False])
def test_truncated_times_read_as_each_time_formatted_alone(unit: str, repeated: bool) -> None:
    """Each distinct unit is formatted once where they repeat: the same texts as
    formatting every time (before 1970 too, offsets turned to UTC, missing kept)."""
    import numpy as np

    rng = np.random.default_rng(7)
    seconds = rng.integers(-1_500_000_000, 3_000_000_000, 4_000)
    if repeated:
        seconds = np.repeat(seconds[:40], 100)
    times = pd.Series(pd.to_datetime(seconds, unit="s", utc=True))
    text = times.dt.strftime("%Y-%m-%dT%H:%M:%S").astype("string")
    text.iloc[::7] = text.iloc[::7] + "+05:30"
    text.iloc[::11] = text.iloc[::11].str.slice(0, 10)
    text.iloc[::13] = ""
    parsed = pd.to_datetime(text.where(text != ""), format="ISO8601", utc=True)
    formats = {"minute": "%Y-%m-%dT%H:%M:00", "hour": "%Y-%m-%dT%H:00:00",
               "day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
    expected = parsed.dt.strftime(formats[unit]).astype("string")
    if unit in ("minute", "hour"):
        zoned = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True, na=False)
        expected = expected.mask(zoned, expected + "Z")
    expected = expected.where(text != "")
    assert truncate_datetime(text, unit).equals(expected)
