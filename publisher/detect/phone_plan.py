"""phonenumbers' parse, validity and possibility for German and Austrian numbers,
the same verdicts at a fraction of the cost.

`phonenumbers.parse` (pure Python, about 30 µs) and `is_valid_number` (about 20 µs:
each number type's pattern in turn) dominated the identifier scan's phone kind.
Here the plain shapes its PHONE pattern lets through (ASCII digits with spaces,
"/", "-", "–", ".", parentheses, a leading "+") are parsed by the same steps as
`parse` (international prefix, country code, national prefix, the length tests),
and validity is one pattern per region and length of national number: the union
of the type descriptions that allow that length. Both are built once per process
from phonenumbers' own metadata, so a newer release carries through. Any other
shape (letters, extensions, other digits, a tab, a foreign country code) goes to
phonenumbers itself. tests/detect/test_detect_phone_plan.py compares every verdict
with phonenumbers'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, PhoneMetadata, PhoneNumberDesc

__all__ = ["is_possible", "is_valid", "parse"]

# A country code and a national significant number
Parsed = tuple[int, str]

# phonenumberutil's limits (_MAX_INPUT_STRING_LENGTH, _MAX_LENGTH_FOR_NSN,
# _MIN_LENGTH_FOR_NSN, _MAX_LENGTH_COUNTRY_CODE)
_MAX_INPUT = 250
_MAX_NSN = 17
_MIN_NSN = 2
_MAX_CC = 3
# Only phonenumbers' valid punctuation besides the digits and one leading "+"; an
# opening bracket before it is what parse skips. With three digits or more such a
# text is viable, and holds no extension, no second number, no RFC 3966 part and
# no letters, so parse's normalised number is its digits in order.
_PLAIN = re.compile(r"\(?(\+?)([0-9 /.\-–()]*)")
_NOT_DIGITS = str.maketrans("", "", " /.-–()")

# ValidationResult of _test_number_length
_POSSIBLE, _LOCAL_ONLY, _TOO_SHORT, _TOO_LONG, _INVALID_LENGTH = range(5)
# the type descriptions _number_type_helper tries after the general one
_TYPES = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager",
          "uan", "voicemail", "fixed_line")


@dataclass(frozen=True)
class _Plan:
    """What parse and is_valid_number read of one region's metadata."""

    metadata: PhoneMetadata
    country_code: int
    idd: re.Pattern[str] | None
    national_prefix: re.Pattern[str] | None
    general: re.Pattern[str] | None
    lengths: tuple[int, ...]
    local_lengths: tuple[int, ...]
    # per length of national number up to _MAX_NSN: what _validity gives
    validity: tuple[tuple[re.Pattern[str] | None, re.Pattern[str] | None], ...]


@cache
def _plan(region: str) -> _Plan | None:
    """The region's plan, or None where its metadata has what the fast path does not
    mirror (a national prefix transform rule, no possible lengths)."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.country_code is None:
        return None
    general = metadata.general_desc
    if general is None or not general.possible_length or metadata.national_prefix_transform_rule:
        return None
    return _Plan(metadata, metadata.country_code,
                 re.compile(metadata.international_prefix)
                 if metadata.international_prefix is not None else None,
                 re.compile(metadata.national_prefix_for_parsing)
                 if metadata.national_prefix_for_parsing else None,
                 _pattern(general), general.possible_length, general.possible_length_local_only,
                 tuple(_validity(metadata, length) for length in range(_MAX_NSN + 1)))


def _pattern(desc: PhoneNumberDesc | None) -> re.Pattern[str] | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return re.compile(desc.national_number_pattern)


@cache
def _code_plan(country_code: int) -> _Plan | None:
    """The plan of the one region of a country code (49: DE), else None."""
    regions = COUNTRY_CODE_TO_REGION_CODE.get(country_code, ())
    return _plan(regions[0]) if len(regions) == 1 else None


def parse(text: str, region: str) -> Parsed | None:
    """(country code, national significant number) of phonenumbers.parse(text,
    region), or None where parse raises NumberParseException."""
    plan = _plan(region)
    match = _PLAIN.fullmatch(text) if plan is not None and len(text) <= _MAX_INPUT else None
    if plan is None or match is None:
        return _parse_slow(text, region)
    plus, rest = match.groups()
    digits = rest.translate(_NOT_DIGITS)
    if len(digits) < 3:
        return _parse_slow(text, region)  # viability of a short text is subtler
    idd = None if plus or plan.idd is None else plan.idd.match(digits)
    if idd is not None and digits[idd.end():idd.end() + 1] == "0":
        idd = None  # a country code never starts with 0 (_parse_prefix_as_idd)
    if plus or idd is not None:
        full = digits[idd.end():] if idd is not None else digits
        if len(full) <= _MIN_NSN:
            return None
        country_code, national = _country_code(full)
        if country_code == 0:
            # parse raises, but after a "+" it first tries the digits as if dialled
            # without it
            return _parse_slow(text, region) if plus else None
        number_plan = plan if country_code == plan.country_code else _code_plan(country_code)
        if number_plan is None:
            return _parse_slow(text, region)  # a code of no region or of several
        plan = number_plan
    else:
        country_code, national = plan.country_code, digits
        code = str(plan.country_code)
        if digits.startswith(code):
            # the region's country code dialled without "+" or a prefix
            # (_maybe_extract_country_code)
            without = _strip_national_prefix(digits[len(code):], plan)
            if (not _general(digits, plan) and _general(without, plan)) or \
                    _test_length(digits, plan) == _TOO_LONG:
                national = without
    if len(national) < _MIN_NSN:
        return None
    stripped = _strip_national_prefix(national, plan)
    if _test_length(stripped, plan) not in (_TOO_SHORT, _LOCAL_ONLY, _INVALID_LENGTH):
        national = stripped
    if len(national) > _MAX_NSN:
        return None
    # with its leading zeros kept as parse keeps them, the national number is the
    # national significant number
    return country_code, national


def _parse_slow(text: str, region: str) -> Parsed | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number.country_code or 0, phonenumbers.national_significant_number(number)


def _country_code(digits: str) -> Parsed:
    """phonenumberutil._extract_country_code: (0, digits) where none leads."""
    if digits.startswith("0"):
        return 0, digits
    for size in range(1, min(len(digits), _MAX_CC) + 1):
        if int(digits[:size]) in COUNTRY_CODE_TO_REGION_CODE:
            return int(digits[:size]), digits[size:]
    return 0, digits


def _general(number: str, plan: _Plan) -> bool:
    """_match_national_number(number, general_desc, False)."""
    return plan.general is not None and plan.general.fullmatch(number) is not None


def _strip_national_prefix(number: str, plan: _Plan) -> str:
    """_maybe_strip_national_prefix_carrier_code's number, for a region without a
    transform rule."""
    if not number or plan.national_prefix is None:
        return number
    prefix = plan.national_prefix.match(number)
    if prefix is None:
        return number
    if _general(number, plan) and not _general(number[prefix.end():], plan):
        return number
    return number[prefix.end():]


def _test_length(number: str, plan: _Plan) -> int:
    """_test_number_length(number, metadata) for the general description."""
    length = len(number)
    if length in plan.local_lengths:
        return _LOCAL_ONLY
    if length == plan.lengths[0]:
        return _POSSIBLE
    if length < plan.lengths[0]:
        return _TOO_SHORT
    if length > plan.lengths[-1]:
        return _TOO_LONG
    return _POSSIBLE if length in plan.lengths[1:] else _INVALID_LENGTH


def is_valid(country_code: int, national: str) -> bool:
    """phonenumbers.is_valid_number of the number, for the country code of one region
    whose plan the fast path mirrors (49, 43; the scan asks of no other); else False."""
    plan = _code_plan(country_code)
    if plan is None or len(national) > _MAX_NSN:
        return False
    general, types = plan.validity[len(national)]
    return general is not None and types is not None and \
        general.fullmatch(national) is not None and types.fullmatch(national) is not None


def is_possible(country_code: int, national: str) -> bool:
    """phonenumbers.is_possible_number of the number, for the country code of one
    region whose plan the fast path mirrors (49, 43); else False."""
    plan = _code_plan(country_code)
    return plan is not None and _test_length(national, plan) in (_POSSIBLE, _LOCAL_ONLY)


def _validity(metadata: PhoneMetadata,
              length: int) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """For national numbers of the length: the general description's pattern (None
    where its possible lengths leave that length out), and the union of the type
    descriptions' that allow it (None where none does), as _number_type_helper
    tries them: mobile only where its pattern is not that of fixed lines."""
    general = metadata.general_desc
    if general is None or (general.possible_length and length not in general.possible_length):
        return None, None
    names = _TYPES if metadata.same_mobile_and_fixed_line_pattern else (*_TYPES, "mobile")
    parts = []
    for name in names:
        desc: PhoneNumberDesc | None = getattr(metadata, name)
        if desc is None or not desc.national_number_pattern or \
                (desc.possible_length and length not in desc.possible_length):
            continue
        parts.append(f"(?:{desc.national_number_pattern})")
    return _pattern(general), re.compile("|".join(parts)) if parts else None
