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
import string
from collections.abc import Callable
from functools import cache
from pathlib import Path

import phonenumbers
from stdnum import iban as _iban
from stdnum import numdb
from stdnum.at import vnr as _vnr
from stdnum.de import idnr as _idnr
from stdnum.iso7064 import mod_11_10 as _mod_11_10
from stdnum.util import get_cc_module

from publisher.detect import patterns, phone_plan, words

_DATA = Path(__file__).resolve().parent / "data"
Verdict = bool | int
_IBAN_DB = numdb.get("iban")
_NOT_DIGIT = re.compile(r"\D")
_SEPARATORS = re.compile(r"[\s\-]")
_BBAN_PART = re.compile(r"(\d+)!")


def iban(text: str) -> Verdict:
    """mod-97 and the country's structure (stdnum.iban), in any case and grouping.

    The pattern runs on into following words ("DE89 ... 00 bitte"); the IBAN is the
    first characters holding as many letters and digits as the country's IBANs have."""
    length = _iban_length(text[:2].upper())
    if length is None:
        return False
    ends = [i + 1 for i, char in enumerate(text) if char.isalnum()]
    if len(ends) < length:
        return False
    end = ends[length - 1]
    if len(ends) > length and ends[length] == end + 1:
        return False  # more letters or digits than this country's IBAN has
    compact = "".join(c for c in text[:end] if c.isalnum())
    if not _iban_checksum_may_hold(compact) or not _iban_valid(compact):
        return False
    return True if end == len(text) else end


# ISO 13616: a letter stands for its place in the alphabet plus 9 (A=10 ... Z=35)
_IBAN_LETTERS = str.maketrans({c: str(i) for i, c in enumerate(string.ascii_uppercase, 10)})
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


def _iban_checksum_may_hold(compact: str) -> bool:
    """The mod-97 test stdnum.iban runs first, done in one integer operation: False
    only where stdnum would reject the IBAN on its checksum, so stdnum's full check
    (ten times slower) runs only on the candidates that pass. A text with other than
    ASCII letters and digits is left to stdnum (its cleaning maps some of them)."""
    if not _ASCII_ALNUM.issuperset(compact):
        return True
    upper = compact.upper()
    return int((upper[4:] + upper[:4]).translate(_IBAN_LETTERS)) % 97 == 1


def _iban_valid(compact: str) -> bool:
    """stdnum.iban.is_valid(compact) for a candidate whose checksum holds: for ASCII
    letters and digits, the country's BBAN structure from stdnum's registry is
    matched here (kept per country; stdnum looks it up and compiles it per call),
    and stdnum decides where it has a check of the country's own or the text is
    other than ASCII letters and digits."""
    structure = _iban_structure(compact[:2].upper()) if _ASCII_ALNUM.issuperset(compact) \
        else None
    if structure is None:
        return bool(_iban.is_valid(compact))
    return structure.fullmatch(compact[4:].upper()) is not None


_IBAN_CHARS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}


@cache
def _iban_structure(country: str) -> re.Pattern[str] | None:
    """The country's BBAN as a pattern (stdnum's registry: "8!n10!n" is eight digits
    and ten digits), or None where stdnum must decide: the country has a check of
    its own (stdnum.<cc>.iban), or no structure."""
    info = _IBAN_DB.info(country)[0][1]
    bban = info.get("bban")
    if not bban or _IBAN_MODULE.search(bban.replace("!", "")) or \
            get_cc_module(country.lower(), "iban") is not None:
        return None
    return re.compile("".join(f"{_IBAN_CHARS[kind]}{{{count}}}"
                              for count, kind in _IBAN_PART.findall(bban)))


_IBAN_PART = re.compile(r"([1-9][0-9]*)!([nac])")
_IBAN_MODULE = re.compile(r"[^0-9nac]")  # a structure of other signs: stdnum decides


@cache
def _iban_length(country: str) -> int | None:
    """Characters in an IBAN of the country, from stdnum's IBAN registry."""
    info = _IBAN_DB.info(country)[0][1]
    if not info.get("bban"):
        return None
    return 4 + sum(int(n) for n in _BBAN_PART.findall(info["bban"]))


def de_tax_id(text: str) -> Verdict:
    """Steuer-ID: ISO 7064 mod 11,10 and the digit-repetition rule (stdnum.de.idnr).

    Eleven ASCII digits (spaces aside) whose check digit fails are rejected before
    stdnum's full check, which would reject them on it (stdnum's own checksum)."""
    digits = text.replace(" ", "")
    if len(digits) == 11 and digits.isascii() and digits.isdigit() and \
            _mod_11_10.checksum(digits) != 1:
        return False
    return bool(_idnr.is_valid(text))


def at_svnr(text: str) -> Verdict:
    """Austrian SVNR: check digit (stdnum.at.vnr) and a day/month that can be a date.

    Ten ASCII digits whose check digit (stdnum's own) fails are rejected before
    stdnum's full check."""
    digits = _NOT_DIGIT.sub("", text)
    day, month = int(digits[4:6]), int(digits[6:8])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    if len(digits) == 10 and digits.isascii() and _vnr.calc_check_digit(digits) != digits[3]:
        return False
    return bool(_vnr.is_valid(digits))


_PENSION_WEIGHTS = (2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1)


def de_pension_number(text: str) -> Verdict:
    """German pension insurance number: area (2), birth date ddmmyy, letter of the
    birth name, serial (2), check digit. The letter counts as its two-digit place
    in the alphabet; weights 2,1,2,5,7,1,2,1,2,1,2,1; cross sums of the products;
    the sum mod 10 is the check digit."""
    compact = _SEPARATORS.sub("", text).upper()
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
# 49 and 43, each the code of one region only: a number's region is one of
# _PHONE_REGIONS exactly when its country code is one of these
_PHONE_COUNTRY_CODES = frozenset(phonenumbers.country_code_for_region(r) for r in _PHONE_REGIONS)
# country code -> the longest national number taken as possible: one digit more than
# the plan has (a typo), not a number and the figures that follow it
_PHONE_CODES = {49: 12, 43: 14}
_SPLIT = re.compile(r"[\s/.\-–]+")
_PHONE_MIN_DIGITS = 7  # "04109" or "+49 151" is no number on its own
# a date ("01.02.2024") or a time or decimal ("07.30-16.00"): a number's area code
# has at least three digits before a dot
_DATE_LIKE = re.compile(r"\(?\d{1,2}\.\s?\d{1,2}(?!\d)")


def phone(text: str) -> Verdict:
    """A valid number of the German or Austrian numbering plan (phonenumbers); a
    pattern that ran on into following digits is cut back at a separator."""
    return _phone(text, (_valid_phone,))


def phone_in_context(text: str) -> Verdict:
    """After a word such as "Tel." or "erreichbar unter": a valid number, or else one
    that phonenumbers calls possible (a mistyped number is still a phone number)."""
    return _phone(text, (_valid_phone, _possible_phone))


def _phone(text: str, tests: tuple[Callable[[str], bool], ...]) -> Verdict:
    """The whole candidate if a test takes it, else its longest head cut at a
    separator that a test takes, in the order of `tests`; either with a number's
    worth of digits."""
    if _DATE_LIKE.match(text) or sum(map(str.isdigit, text)) < _PHONE_MIN_DIGITS:
        return False
    if any(test(text) for test in tests):
        return True
    cuts = [m.start() for m in _SPLIT.finditer(text)
            if sum(map(str.isdigit, text[:m.start()])) >= _PHONE_MIN_DIGITS]
    for test in tests:
        for cut in reversed(cuts):
            if test(text[:cut]):
                return cut
    return False


def _valid_phone(text: str) -> bool:
    """phonenumbers.parse(text, region) and is_valid_number, region by region (done
    by publisher.detect.phone_plan: the same verdicts, faster)."""
    for region in _PHONE_REGIONS:
        number = phone_plan.parse(text, region)
        if number is None:
            return False
        # the country code first: a foreign number skips the check against the plan
        if number[0] in _PHONE_COUNTRY_CODES and phone_plan.is_valid(*number):
            return True
        if text.lstrip().startswith(("+", "00")):
            return False  # an international number does not depend on the region
    return False


def _possible_phone(text: str) -> bool:
    number = phone_plan.parse(text, _PHONE_REGIONS[0])
    if number is None:
        return False
    longest = _PHONE_CODES.get(number[0])
    return longest is not None and phone_plan.is_possible(*number) and \
        len(number[1]) <= longest


@cache
def plate_codes(country: str) -> frozenset[str]:
    """The official district codes of 'de' or 'at' (publisher/detect/data/)."""
    lines = (_DATA / f"{country}-plates.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))


_PLATE_SPLIT = re.compile(r"[\s\-]+")


def de_plate(text: str) -> Verdict:
    return _PLATE_SPLIT.split(text.strip(), maxsplit=1)[0].upper() in plate_codes("de")


def at_plate(text: str) -> Verdict:
    return _PLATE_SPLIT.split(text.strip(), maxsplit=1)[0].upper() in plate_codes("at")


# a plate in lower case that stands without a context word: only "ki-m 3451" / "w-8641 gg"
_LOWER_ALONE = {"de": re.compile(r"[a-zäöü]{1,3}-[a-z]"), "at": re.compile(r"[a-z]{1,2}-\d")}


def _alone(text: str, country: str) -> bool:
    return text != text.lower() or _LOWER_ALONE[country].match(text) is not None


def de_plate_alone(text: str) -> Verdict:
    """A German plate where no context word ("Kennzeichen", "Pkw") stands before it."""
    return _alone(text, "de") and de_plate(text)


def at_plate_alone(text: str) -> Verdict:
    """An Austrian plate where no context word stands before it."""
    return _alone(text, "at") and at_plate(text)


_STREET_NAME = re.compile(r"\D+")
_SUFFIX_WORDS = frozenset(w.rstrip(".") for w in
                          words.STREET_SUFFIXES + words.WEAK_STREET_SUFFIXES)
_PREPOSITIONS = frozenset(words.STREET_PREPOSITIONS)
_WITH_ARTICLE = frozenset(words.STREET_PREPOSITIONS_WITH_ARTICLE)


def street_address(text: str) -> Verdict:
    """Not a noun that only ends like a street ("Parkplatz 3"), nor a street word alone
    ("Platz 3"); after a preposition ("Am Hang 5"), no word of an ordinary phrase
    ("Am Montag 5", "Zur Kenntnis 2"), and name words all capitalised or all in lower
    case (in "im halteverbot Parkplatz 28" the preposition opens no name)."""
    name = _STREET_NAME.match(text)
    parts = name.group().split() if name else []
    if not parts:
        return False
    lowered = [part.lower() for part in parts]
    if lowered[0] in _PREPOSITIONS:
        nouns = lowered[1:]
    elif lowered[0] in _WITH_ARTICLE and len(lowered) > 2 and lowered[1] in words.ARTICLES:
        nouns = lowered[2:]
    else:
        street = lowered[-1]
        if street in words.NOT_STREETS:
            return False
        return len(parts) > 1 or street.rstrip(".") not in _SUFFIX_WORDS
    if len({part[0].isupper() for part in parts[len(parts) - len(nouns):]}) > 1:
        return False
    return not any(noun.rstrip(".") in words.NOT_STREET_NOUNS or noun in words.NOT_STREETS
                   or noun.endswith(words.NUMBERED_NOUN_ENDINGS) for noun in nouns)


_MONTHS = {name: i + 1 for i, name in enumerate(
    ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
     "september", "oktober", "november", "dezember"))}
_MONTHS.update({"jänner": 1, "maerz": 3, "january": 1, "february": 2, "march": 3,
                "may": 5, "june": 6, "july": 7, "october": 10, "december": 12})
# abbreviations as written with a dot ("8. Mär. 1944", "3. Sept. 1960")
_MONTHS.update({name[:n]: month for name, month in list(_MONTHS.items()) for n in (3, 4)
                if name[:n] not in _MONTHS})
_NUMERIC = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{2}|\d{4})$")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})$")
_WORDS = re.compile(r"(\d{1,2})(?:\.\s*|\s+)([^\W\d_]+)\.?\s+(\d{4})$")
_YEAR = re.compile(r"(\d{4})$|'?(\d{2})$")


def birth_date(text: str, today: dt.date | None = None) -> Verdict:
    """A real calendar date in the past, at most 120 years ago; or such a year alone
    (after "Jg." or "Jahrgang", the only context whose pattern takes a year)."""
    today = today or dt.date.today()
    text = text.strip()
    if m := _YEAR.match(text):
        year = int(m.group(1) or _century(int(m.group(2)), today))
        return today.year - 120 <= year <= today.year
    value = _parse_date(text, today)
    return value is not None and today.year - 120 <= value.year and value <= today


def _century(year: int, today: dt.date) -> int:
    """A two-digit year in the most recent past century."""
    return year + (2000 if 2000 + year <= today.year else 1900)


def _parse_date(text: str, today: dt.date) -> dt.date | None:
    try:
        if m := _NUMERIC.match(text):
            year = int(m.group(3))
            if len(m.group(3)) == 2:
                year = _century(year, today)
            return dt.date(year, int(m.group(2)), int(m.group(1)))
        if m := _ISO.match(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if (m := _WORDS.match(text)) and m.group(2).lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    except ValueError:
        return None
    return None


_HARDWARE = re.compile(r"[0-9a-f]{2}(?::[0-9a-f]{2}){7}", re.IGNORECASE)


def not_an_ip_address(text: str) -> Verdict:
    """After "Version", "Firmware", "App" ...: a version number that looks like an IPv4
    address ("Firmware 2.2.65.119")."""
    return False


def ip_address(text: str) -> Verdict:
    """A literal IPv4 or IPv6 address (personal data, CJEU C-582/14 Breyer); not eight
    two-digit groups, which is how a hardware address (EUI-64) is written."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return any(c.isdigit() for c in text) and not _HARDWARE.fullmatch(text)


_EMAIL_AT = re.compile(patterns.EMAIL_AT, re.IGNORECASE)
_EMAIL_DOT = re.compile(patterns.EMAIL_DOT, re.IGNORECASE)
_BARE_WORD = re.compile(r"\s+\w+\s+")


def email(text: str) -> Verdict:
    """An address once its disguises are undone ("(at)" to "@", "(punkt)" to "."):
    local part and domain within their lengths, no empty dot-separated part, an
    internationalised domain that IDNA can encode.

    An " at " between bare words needs more, lest a sentence ("look at example.com")
    count: no English word that stands before "at" in a sentence as its local part,
    and a common top-level domain ("nakar at icloud.com", "name at example dot de")."""
    at = _EMAIL_AT.search(text)
    if at is None:
        return False
    local, domain = text[:at.start()], text[at.end():]
    dots = list(_EMAIL_DOT.finditer(domain))
    if _BARE_WORD.fullmatch(at.group()) and (
            local.lower() in words.BEFORE_AT
            or domain[dots[-1].end():].lower() not in words.COMMON_TLDS):
        return False
    labels, last = [], 0
    for dot in dots:
        labels.append(domain[last:dot.start()])
        last = dot.end()
    labels.append(domain[last:])
    plain = ".".join(labels)
    if not 0 < len(local) <= 64 or ".." in local or local.endswith(".") or \
            not all(labels) or len(plain) > 253:
        return False
    if not plain.isascii():
        try:
            plain.encode("idna")
        except UnicodeError:
            return False
    return True
