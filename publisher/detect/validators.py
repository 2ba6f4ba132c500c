"""Confirmers: does a candidate that the pattern found really hold an identifier?

Each takes the matched text and returns True (accept it whole), False (reject),
or an int n (accept only its first n characters, when a greedy pattern ran on
into the following words). Checksums come from python-stdnum and phone number
plans from phonenumbers (RULES.md section 1); plates are checked against the
official district code lists in publisher/detect/data/.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from functools import cache
from pathlib import Path

import phonenumbers
from stdnum import iban as _iban
from stdnum.at import vnr as _vnr
from stdnum.de import idnr as _idnr

_DATA = Path(__file__).resolve().parent / "data"
Verdict = bool | int


def iban(text: str) -> Verdict:
    """mod-97 (stdnum.iban); trailing 4-character groups that break it are cut."""
    if _iban.is_valid(text):
        return True
    cut = text
    while " " in cut:
        cut = cut.rsplit(" ", 1)[0]
        if _iban.is_valid(cut):
            return len(cut)
    return False


def de_tax_id(text: str) -> Verdict:
    """Steuer-ID: ISO 7064 mod 11,10 and the digit-repetition rule (stdnum.de.idnr)."""
    return bool(_idnr.is_valid(text))


def at_svnr(text: str) -> Verdict:
    """Austrian SVNR: check digit (stdnum.at.vnr) and a day/month that can be a date."""
    digits = text.replace(" ", "")
    day, month = int(digits[4:6]), int(digits[6:8])
    return 1 <= day <= 31 and 1 <= month <= 12 and bool(_vnr.is_valid(digits))


_PENSION_WEIGHTS = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)


def de_pension_number(text: str) -> Verdict:
    """German pension insurance number: area (2), birth date ddmmyy, letter of the
    birth name, serial (2), check digit. The letter counts as its two-digit place
    in the alphabet; weights 2,1,2,5,7,1,2,1,2,1,2,1; cross sums of the products;
    the sum mod 10 is the check digit."""
    compact = text.replace(" ", "").upper()
    if len(compact) != 12 or not compact[8].isalpha() or not compact[8].isascii():
        return False
    day, month = int(compact[2:4]), int(compact[4:6])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    digits = compact[:8] + f"{ord(compact[8]) - 64:02d}" + compact[9:11]
    total = sum(sum(divmod(int(d) * w, 10)) for d, w in zip(digits, _PENSION_WEIGHTS,
                                                               strict=True))
    return total % 10 == int(compact[11])


_PHONE_REGIONS = ("DE", "AT")
_SPLIT = re.compile(r"[\s/\-]+")


def phone(text: str) -> Verdict:
    """A valid number of the German or Austrian numbering plan (phonenumbers)."""
    if _valid_phone(text):
        return True
    parts = [m.start() for m in _SPLIT.finditer(text)]
    for cut in reversed(parts):
        if _valid_phone(text[:cut]):
            return cut
    return False


def _valid_phone(text: str) -> bool:
    for region in _PHONE_REGIONS:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return False
        if phonenumbers.is_valid_number(number) and \
                phonenumbers.region_code_for_number(number) in _PHONE_REGIONS:
            return True
        if text.lstrip().startswith(("+", "00")):
            return False  # an international number does not depend on the region
    return False


@cache
def plate_codes(country: str) -> frozenset[str]:
    """The official district codes of 'de' or 'at' (publisher/detect/data/)."""
    lines = (_DATA / f"{country}-plates.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


_PLATE_SPLIT = re.compile(r"[\s\-]+")


def de_plate(text: str) -> Verdict:
    return _PLATE_SPLIT.split(text.strip(), maxsplit=1)[0] in plate_codes("de")


def at_plate(text: str) -> Verdict:
    return _PLATE_SPLIT.split(text.strip(), maxsplit=1)[0] in plate_codes("at")


# Nouns that end like a street but name no address ("Parkplatz 3", "Radweg 5").
_NOT_STREETS = frozenset((
    "parkplatz", "spielplatz", "sportplatz", "stellplatz", "sitzplatz", "arbeitsplatz",
    "abstellplatz", "bolzplatz", "wertstoffplatz", "containerplatz", "bahnsteig", "radweg",
    "fußweg", "fussweg", "gehweg", "feldweg", "waldweg", "wanderweg", "schulweg", "heimweg",
    "rückweg", "umweg", "zufahrtsweg",
))


_STREET_WORD = re.compile(r"([^\s\d]+)\s+\d")


def street_address(text: str) -> Verdict:
    street = _STREET_WORD.search(text)
    return street is None or street.group(1).lower() not in _NOT_STREETS


_MONTHS = {name: i + 1 for i, name in enumerate(
    ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
     "september", "oktober", "november", "dezember"))}
_MONTHS.update({"jänner": 1, "maerz": 3, "january": 1, "february": 2, "march": 3,
                "may": 5, "june": 6, "july": 7, "october": 10, "december": 12})
_NUMERIC = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2}|\d{4})$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")
_WORDS = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\s+(\d{4})$")


def birth_date(text: str, today: dt.date | None = None) -> Verdict:
    """A real calendar date in the past, at most 120 years ago."""
    today = today or dt.date.today()
    value = _parse_date(text.strip(), today)
    return value is not None and today.year - 120 <= value.year and value <= today


def _parse_date(text: str, today: dt.date) -> dt.date | None:
    try:
        if m := _NUMERIC.match(text):
            year = int(m.group(3))
            if len(m.group(3)) == 2:  # two-digit years: the most recent past century
                year += 2000 if 2000 + year <= today.year else 1900
            return dt.date(year, int(m.group(2)), int(m.group(1)))
        if m := _ISO.match(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if (m := _WORDS.match(text)) and m.group(2).lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None
    return None


def ip_address(text: str) -> Verdict:
    """A literal IPv4 or IPv6 address (personal data, CJEU C-582/14 Breyer)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(c.isdigit() for c in text)
