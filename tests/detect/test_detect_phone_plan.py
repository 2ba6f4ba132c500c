"""The phone kind's fast parse and validity (publisher.detect.phone_plan) give exactly
the verdicts of the plain phonenumbers calls: on generated candidates of every shape
the PHONE pattern matches and more, and on every phone candidate the scan judges in
red-team texts and defect-report texts."""

import importlib
import sys

import numpy as np
import phonenumbers
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.redteam import generate
from publisher.detect import phone_plan, validators
from publisher.detect.kinds import KINDS
from publisher.detect.scan import Memo, _confirm_kind, candidates
from tests.conftest import ROOT

# --- the reference: the validators as written before phone_plan, calling phonenumbers


def _reference_valid(text: str) -> bool:
    for region in ("DE", "AT"):
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return False
        if number.country_code in (49, 43) and phonenumbers.is_valid_number(number):
            return True
        if text.lstrip().startswith(("+", "00")):
            return False
    return False


def _reference_possible(text: str) -> bool:
    try:
        number = phonenumbers.parse(text, "DE")
    except phonenumbers.NumberParseException:
        return False
    longest = {49: 12, 43: 14}.get(number.country_code or 0)
    return longest is not None and phonenumbers.is_possible_number(number) and \
        len(phonenumbers.national_significant_number(number)) <= longest


def _reference_parse(text: str, region: str) -> tuple[int, str] | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number.country_code or 0, phonenumbers.national_significant_number(number)


def _same_verdicts(text: str) -> None:
    assert validators.phone(text) == validators._phone(text, (_reference_valid,)), text
    assert validators.phone_in_context(text) == validators._phone(
        text, (_reference_valid, _reference_possible)), text


def _same_number(text: str) -> None:
    for region in ("DE", "AT"):
        expected = _reference_parse(text, region)
        assert phone_plan.parse(text, region) == expected, (text, region)
        if expected is not None and expected[0] in (49, 43):
            number = phonenumbers.parse(text, region)
            assert phone_plan.is_valid(*expected) == phonenumbers.is_valid_number(number), text
            assert phone_plan.is_possible(*expected) == \
                phonenumbers.is_possible_number(number), text


# --- candidates in the PHONE pattern's shapes

_AREAS = ("30", "40", "89", "341", "221", "6221", "35204", "3879", "1", "316", "662", "512",
          "2236", "7582")
_NETWORKS = ("151", "152", "160", "170", "171", "176", "179", "1521", "650", "660", "664",
             "676", "699", "6991")
_SERVICES = ("800", "180", "1805", "900", "9001", "137", "1371", "700", "118", "810", "820",
             "517", "720")
_LEADS = ("+49", "+43", "0049", "0043", "+49 ", "+43-", "0049 ", "+ 49", "00 43", "+49 (0)",
          "+43 (0) ", "0049(0)", "+490", "+430", "+4", "+1", "+41 ", "+44 ", "+7", "+420",
          "+800 ", "+0", "+00", "00", "000", "0", "0 ", "(", "(0", "(+49) ", "+", "49", "43", "")
# an area code, network or service prefix as written after a lead: bare, with a
# national "0", in brackets
_HEADS = tuple(form.format(code) for code in ("", *_AREAS, *_NETWORKS, *_SERVICES)
               for form in ("{}", "0{}", "({})", "(0{})", "0{})"))
_SEPARATORS = ("", "", "", " ", " ", "/", "-", ".", "–", " / ", " - ", "  ", "\t", ") ", "(",
               "---", ". ")
_GROUPS = ("1", "23", "456", "7890", "12345", "0", "00", "05", "9", "98", "765", "4321")
_PIECES = tuple(s + g for s in _SEPARATORS for g in _GROUPS)


def _rest(code: int) -> str:
    """Up to six groups of digits after separators (the PHONE pattern's, brackets, a
    tab), read off one integer: one draw each, where a list of draws makes the
    test several times slower; it shrinks to fewer and plainer pieces."""
    pieces = []
    while code:
        code, piece = divmod(code - 1, len(_PIECES))
        pieces.append(_PIECES[piece])
    return "".join(pieces)


_phone_like = st.builds(lambda lead, head, rest: lead + head + _rest(rest),
                        st.sampled_from(_LEADS), st.sampled_from(_HEADS),
                        st.integers(0, len(_PIECES) ** 6))


_SHORT = st.sampled_from(("110", "112", "116117", "115", "0110", "01 12", "+49 112", "0800",
                          "0180 5", "09001 23", "0137 1234"))
# any mix of the signs a phone number is written with, and some it is not
_ANY = st.text(alphabet="0123456789 +/-.–()\tx#,;eaTel\u00a0\uff10", max_size=30)


@settings(max_examples=3000, deadline=None, database=None)
@given(text=st.one_of(_phone_like, _SHORT))
def test_phone_shapes_get_the_verdicts_of_phonenumbers(text: str) -> None:
    _same_number(text)
    _same_verdicts(text)


@settings(max_examples=1500, deadline=None, database=None)
@given(text=_ANY)
def test_any_text_gets_the_verdicts_of_phonenumbers(text: str) -> None:
    _same_number(text)
    _same_verdicts(text)


def test_plain_shapes_are_parsed_without_phonenumbers_parse(monkeypatch: pytest.MonkeyPatch):
    """The fast path is taken for what the scan meets most: no call of
    phonenumbers.parse for a plain national or international number."""
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("phonenumbers.parse called")

    monkeypatch.setattr(phonenumbers, "parse", refuse)
    for text in ("+49 341 3879365", "0341/9028257", "0176 40466804", "+49 (0)89 1234567",
                 "0043 664 1234567", "(0231) 517 40 17", "0341 98765"):
        assert validators.phone(text) is True, text
    assert validators.phone_in_context("0176 123456789012") is False
    assert validators.phone("0999 1234567") is False
    assert validators.phone_in_context("0999 1234567") is True  # possible, not valid


def test_foreign_and_odd_shapes_still_go_to_phonenumbers(monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []
    parse = phonenumbers.parse

    def counted(text: str, region: str | None = None) -> phonenumbers.PhoneNumber:
        calls.append(text)
        return parse(text, region)

    monkeypatch.setattr(phonenumbers, "parse", counted)
    assert phone_plan.parse("+1 202 555 0143", "DE") == (1, "2025550143")
    assert phone_plan.parse("0341 1234567 ext. 12", "DE") == (49, "3411234567")
    assert phone_plan.parse("0341\t1234567", "DE") is None
    assert len(calls) == 3


# --- every phone candidate the scan judges in real-looking texts


def _judged(texts: list[str]) -> dict[tuple[str, bool], object]:
    """The scan's verdict on each distinct phone candidate in the texts."""
    kind = KINDS["phone"]
    found = candidates([pa.array(texts, pa.string())], [kind])[0]
    positions, passed = found.passed[0]
    memo = Memo(limit=10**7)
    _confirm_kind(kind, positions, passed, memo)
    return memo.verdicts("phone")


def _check(verdicts: dict[tuple[str, bool], object], *, rejected: bool = True) -> None:
    assert len(verdicts) > 100
    assert True in verdicts.values() and (False in verdicts.values() or not rejected)
    for (value, in_context), verdict in verdicts.items():
        tests = (_reference_valid, _reference_possible) if in_context else (_reference_valid,)
        assert verdict == validators._phone(value, tests), (value, in_context)


@pytest.mark.parametrize("seed", [1, 7])
def test_red_team_candidates_get_the_verdicts_of_phonenumbers(seed: int) -> None:
    _check(_judged(generate(3000, seed=seed).texts))


def test_defect_report_candidates_get_the_verdicts_of_phonenumbers() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        scaled = importlib.import_module("_scaled_reports")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    texts = scaled.batch(np.random.default_rng(16), 0, 8000)["description"].to_pylist()
    _check(_judged(texts), rejected=False)  # the sample's numbers are all valid
