"""The patterns that find identifier candidates as people write them.

Each kind has two: an RE2 prefilter that pyarrow runs over the whole column (no
look-around), and a Python pattern run only on the cells the prefilter kept, whose
group `v` is the span that counts. Every Python pattern is linear in its input:
a start needs a token boundary (a look-behind), and no repeated group can split the
same text in two ways (each repetition ends on a character the next cannot begin
with, or is bounded by a small count), so a 1 MB cell cannot make it backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from publisher.detect import words as w

# Python's \s and \d in RE2 (whose own are ASCII only): a prefilter must let through
# every cell its Python pattern can match, so it uses these where the pattern has \s or
# \d; where the pattern asks for a character *not* to be a word character, an ASCII
# class is wider than Python's and so safe. (tests/detect/test_detect_prefilters.py)
RE2_SPACE = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
RE2_DIGIT = r"\p{Nd}"
# Wider, and far cheaper for RE2 to compile (pyarrow compiles a prefilter at each call):
# ASCII digits and every code point from the first non-ASCII decimal digit (U+0660) on,
# so no Latin, Greek or Cyrillic letter ("zu überprüfen" is no plate "zu ü..."). For
# prefilters whose digits stand among digits, not beside words.
RE2_DIGIT_WIDE = r"[0-9\x{660}-\x{10FFFF}]"
# what Python's case-insensitive [a-z] matches beyond RE2's: dotless i and dotted I
RE2_LATIN_FOLD = "ıİ"
# What may stand before a match that a pattern starts with (?<![\w\-]) or (?<![\d+]): ASCII
# classes, wider than Python's \w and \d, so a prefilter that asks for one takes every
# cell its pattern can match, and skips the candidates glued to a word or number ("Linie
# 74 betroffen" is no Austrian plate "ie 74 b", an 11-digit tax id holds no SVNR).
RE2_NOT_AFTER_WORD = r"(?:^|[^A-Za-z0-9_\-])"
RE2_NOT_AFTER_NUMBER = r"(?:^|[^0-9+])"
RE2_NOT_BEFORE_DIGIT = r"(?:$|[^0-9])"

_UPPER = "A-ZÄÖÜ"
_LOWER = "a-zäöüß"


def _alt(items: Iterable[str]) -> str:
    """An alternation of literal words, longest first."""
    return "|".join(re.escape(x) for x in sorted(set(items), key=len, reverse=True))


# --- e-mail: "anna@müller.de", "jürgen.groß@example.de", "name (at) example (punkt) de"
_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
# @, a bracketed "at", or " at " between spaces (the confirmer asks more of that one)
EMAIL_AT = rf"(?:\s?@\s?|\s*{_OPEN}\s*(?:at|ät|@)\s*{_CLOSE}\s*|\s+at\s+)"
EMAIL_DOT = rf"(?:\.|\s*{_OPEN}\s*(?:dot|punkt|pkt|\.)\s*{_CLOSE}\s*|\s+(?:dot|punkt)\s+)"
_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_TLD = r"(?:[^\W\d_]{2,63}|xn--[a-z0-9\-]{1,59})"
# The local part is taken whole (possessive): what may follow it (white space, "@", a
# bracket) can never stand inside it, so giving characters back could not help.
EMAIL = re.compile(
    rf"(?<![\w.%+\-])(?P<v>\w[\w.%+\-]*+{EMAIL_AT}(?:{_LABEL}{EMAIL_DOT})+{_TLD})(?![\w\-])",
    re.IGNORECASE)
EMAIL_PREFILTER = r"@|[(\[{<] ?(?:at|ät|@) ?[)\]}>]|\sat\s"

# --- phone: "0171/1234567", "(0231) 517 40 17", "+49 (0)89 …", "0049 89 1234567"
_PSEP_CHARS = r" \t/\-–"
# between two digits: nothing, a run of spaces, slashes, hyphens or dots, but never
# into a following date ("0341 1234567 12.05.2024" stops before "12.05.")
_PSEP = rf"(?:[{_PSEP_CHARS}.]{{1,3}}(?!\d{{1,2}}\.\d{{1,2}}\.)|)"
_INTL = (rf"(?:\+|00)\s?(?:49|43)[{_PSEP_CHARS}]{{0,3}}(?:\(0\)[{_PSEP_CHARS}]{{0,3}})?"
         r"(?:\(0?[1-9]\d{0,4}\)|0?[1-9]\d{0,4})")
_NATL = r"(?:\(0[1-9]\d{0,4}\)|0 ?[1-9]\d{0,4})"
# not inside a longer run of digits, unless a "+" opens the number
PHONE = re.compile(
    rf"(?<![\w+])(?:(?=\+)|(?<!\d[{_PSEP_CHARS}.]))"
    rf"(?P<v>(?:{_INTL}|{_NATL})(?:{_PSEP}\d){{3,11}})(?!\w)")
# "+49"/"0049", or an area code and three more digits, not inside a word or number run
# (not after a digit and a separator either: "13.06.1955", "2024-04-27 12:19")
PHONE_PREFILTER = (
    rf"(?:\+|00){RE2_SPACE}?(?:49|43)"
    rf"|(?:^|[^A-Za-z0-9_+{_PSEP_CHARS}.]|(?:^|[^0-9])[{_PSEP_CHARS}.])"
    rf"(?:\(0[1-9]{RE2_DIGIT}{{0,4}}\)|0 ?[1-9])"
    rf"(?:[{_PSEP_CHARS}.]{{0,3}}{RE2_DIGIT}){{3}}")
# A context word, then at most three more words, right before the number.
PHONE_CONTEXT = re.compile(
    rf"(?<!\w)(?:{_alt(w.PHONE_CONTEXT)})(?!\w)[^\w\n]*(?:[^\W\d]+[^\w\n]+){{0,3}}$",
    re.IGNORECASE)

# --- IBAN: any case, any grouping ("de89 3704 0044 0532 0130 00", "AT61-1904-3002-...",
# "DE89.3704.0044...", "DE89–3704–...")
# hyphens, en or em dashes, dots, slashes, underscores, spaced or not ("DE89 - 3704 - ...")
_ISEP = r"[ .\-–—/_]{0,3}"
IBAN = re.compile(
    rf"(?<![^\W_])(?P<v>[a-z]{{2}}(?:{_ISEP}\d){{2}}(?:{_ISEP}[a-z0-9]){{11,30}})(?![^\W_])",
    re.IGNORECASE)
# not inside a word ("Tel.0171..." is no IBAN "el0171..."); main's separators (_ISEP)
IBAN_PREFILTER = (rf"(?:^|[^A-Za-z0-9])[a-z{RE2_LATIN_FOLD}]{{2}}"
                  rf"(?:[ .\-–—/_]{{0,3}}{RE2_DIGIT}){{2}}"
                  rf"(?:[ .\-–—/_]{{0,3}}[a-z0-9{RE2_LATIN_FOLD}]){{11}}")

# --- street and house number: "Hauptstr.12", "Berliner Straße 5", "Am Hang 5",
# "An der Linde 3b", "Schillergasse 12/3/4", "Herdergasse 11/Top 7", "Hauptstraße 12-14";
# in any case ("hauptstr. 12" in a text typed in lower case). A word is taken whole
# (an atomic group) and its ending then checked by look-behinds, so no position inside
# a word is ever tried twice.
def _ends(items: Iterable[str], whole: bool = False) -> str:
    """Look-behinds: the text just matched ends in one of `items` (is one, if whole);
    one look-behind per length, as each needs a fixed width."""
    edge = r"\b" if whole else ""
    by_length: dict[int, list[str]] = {}
    for item in sorted(set(items)):
        by_length.setdefault(len(item), []).append(re.escape(item))
    return "(?i:" + "|".join(f"(?<={edge}(?:{'|'.join(group)}))"
                             for _, group in sorted(by_length.items())) + ")"


_STEM = r"(?>(?:\w++\.?-)*[^\W\d_]+)"  # a word, hyphen compounds whole ("Karl-Marx-Str")
_STREET_END = _ends(s.rstrip(".") for s in w.STREET_SUFFIXES)
_WEAK_END = _ends(w.WEAK_STREET_SUFFIXES)
_SHORT_NO = r"(?=\d{1,3}(?!\d))"  # a house number of at most three digits follows
_PREP = (rf"(?:(?i:{_alt(w.STREET_PREPOSITIONS)})"
         rf"|(?i:{_alt(w.STREET_PREPOSITIONS_WITH_ARTICLE)})[ \t]+(?i:{_alt(w.ARTICLES)}))")
_WORD = r"[^\W\d_]\w*(?:-\w+)*"
_PREP_INITIALS = "".join(sorted({c for x in (*w.STREET_PREPOSITIONS,
                                              *w.STREET_PREPOSITIONS_WITH_ARTICLE)
                                 for c in (x[0], x[0].upper())}))  # a cheap test first
# a word ending in a street word ("Hauptstraße", "Karl-Marx-Str."), or an adjective and
# such a word ("Berliner Straße", "Alte Gasse", "obere Hauptstraße"); the adjective is
# checked by look-behinds on the word already matched, so no word is read twice
_STREET_WORD_END = rf"(?:{_STREET_END}\.?\s*|{_WEAK_END}\s*{_SHORT_NO})"
_ADJECTIVE_END = (rf"(?:(?i:(?<=[^\W\d_]{{3}}er)|(?<=sche))"
                  rf"(?!{_ends(w.NOT_ADJECTIVES, whole=True)})"
                  rf"|{_ends(w.STREET_ADJECTIVES, whole=True)})")
_SUFFIX_NAME = rf"{_STEM}(?:{_STREET_WORD_END}|{_ADJECTIVE_END}[ \t]+{_STEM}{_STREET_WORD_END})"
# a preposition and one or two words on its line, not one ending in a street word ("in
# der Hauptstraße 12" is the address "Hauptstraße 12"); at most three-digit numbers
_PREP_NAME = (rf"{_PREP}[ \t]+(?!{_STEM}{_STREET_END})"
              rf"{_WORD}(?:[ \t]+{_WORD})?[ \t]+{_SHORT_NO}")
# a measure, also as the head of a compound ("in der übergeordneten 1-km-Zelle")
_NOT_MEASURE = rf"(?![.,:]?\d)(?![ \t\-]?(?i:{_alt(w.UNITS)})(?!\w))"
_HOUSE_NO = rf"\d{{1,4}}(?!\d){_NOT_MEASURE}(?: ?[a-zA-Z](?!\w))?"
_DOOR = r"(?i:top|tür|stiege|stg\.?)\s?"  # Austrian "12/Top 4"
# A street starts at a word with a digit ahead on its line (a cheap test that spares
# most words the rest; possessive, as no character it passes over is a digit). After a
# preposition-led name, a number followed by a noun counts something ("Im Park 3
# Bänke", "am montag 5 leute"); an address goes on with a comma, a lower-case word, the
# next sentence's article or pronoun (AFTER_ADDRESS), or nothing.
_COUNTED = (rf"[ \t]+(?:(?i:{_alt(w.COUNTED)})(?!\w)"
            rf"|(?!(?i:{_alt(w.AFTER_ADDRESS)})(?!\w))[{_UPPER}][{_LOWER}])")
STREET = re.compile(
    rf"(?<![\w\-])(?=[^\W\d_][^\n0-9]{{0,80}}+[0-9])"
    rf"(?P<v>(?:(?=[{_PREP_INITIALS}])(?P<prep>{_PREP_NAME})|{_SUFFIX_NAME})"
    rf"{_HOUSE_NO}(?: ?[\-–/] ?(?:{_DOOR})?{_HOUSE_NO}){{0,3}})(?!\w)"
    rf"(?(prep)(?!{_COUNTED}))")


def _re2_words(items: Iterable[str]) -> str:
    """_alt for RE2 with (?i): "i" also as the dotless ı and the dotted İ, which
    Python's case-insensitive match takes and RE2's does not."""
    return _alt(items).replace("i", f"[i{RE2_LATIN_FOLD}]")


_RE2_PREP = (rf"(?:{_re2_words(w.STREET_PREPOSITIONS)}|"
             rf"(?:{_re2_words(w.STREET_PREPOSITIONS_WITH_ARTICLE)}){RE2_SPACE}+"
             rf"(?:{_re2_words(w.ARTICLES)}))")
# A cell STREET can match has a street word, maybe a dot ("Ring.5") and a digit, or a
# preposition, one or
# two words (as STREET's _WORD reads them: letters, digits, "_" and "-": "Am Hang2
# 5", "in der B2-Siedlung 5") and a digit; Python's \s and \d as RE2 classes.
_RE2_NAME_WORD = r"[\pL\p{Nl}\p{No}][\pL\pN_-]*"  # a first character as [^\W\d_]
# After a preposition-led name's number, STREET's test that no noun follows it (_COUNTED:
# "Am Abend 36 Unfälle") as far as RE2 can tell: the number's digits, then the text's end,
# no space, or spaces and no capital, a capital and no small letter, or a word that may
# follow an address (its first three letters: a wider test, cheaper to compile; the
# case as _COUNTED asks it, the outer (?i) cleared for that).
_RE2_NO_NOUN_AFTER = (rf"{RE2_DIGIT}*(?:$|[^ \t\p{{Nd}}]|[ \t]+(?:$"
                      rf"|(?-i:[^ \t{_UPPER}]|[{_UPPER}](?:$|[^{_LOWER}]))"
                      rf"|{_re2_words({x[:3] for x in w.AFTER_ADDRESS})}))")
STREET_PREFILTER = (
    rf"(?i)(?:{_re2_words(w.STREET_SUFFIXES + w.WEAK_STREET_SUFFIXES)})\.?{RE2_SPACE}*"
    rf"{RE2_DIGIT}"
    rf"|(?:^|[^\pL]){_RE2_PREP}{RE2_SPACE}+{_RE2_NAME_WORD}{RE2_SPACE}+"
    rf"(?:{_RE2_NAME_WORD}{RE2_SPACE}+)?{RE2_DIGIT}{_RE2_NO_NOUN_AFTER}")

# --- date of birth: "geb. 12.03.1980", "* 12.5.1980", "*12.05.80", "Jg. 1975"
_MONTH = r"(?:jan|jän|feb|mär|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|dez|dec)[^\W\d_]{0,6}"
_DATE = (r"\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}"
         rf"|\d{{1,2}}(?:\.\s*|\s+){_MONTH}\.?\s+\d{{4}}")  # "3. März 1975", "8. Mär. 1944"
_YEAR = r"\d{4}(?!\d)|'?\d{2}(?!\d)"
_DOB_CONTEXT = (r"geb\.|geboren|geburtsdatum|geburtstag|geb\.-datum|date\s+of\s+birth|born"
                r"|d\.?o\.?b\.?")
# "*" as in "Anna Müller * 12.5.1980" or "(*12.05.80)"; not a footnote or gender star
# glued to a word ("Preis*", "Bürger*innen")
_STAR = r"(?<![\w*])\*"
# a context word before the date ("geb.", "*", "Jg." with a year alone), or "geboren"
# after it ("ich bin am 12.5.1980 geboren")
DATE_OF_BIRTH = re.compile(
    rf"(?=[gjdb*\d])"
    rf"(?:(?P<ctx>(?P<jg>(?<!\w)(?:jg\.|jahrgang(?!\w)))|(?<!\w)(?:{_DOB_CONTEXT})|{_STAR})"
    rf"\s*(?::\s*)?(?:(?:am|on)\s+)?)?"
    rf"(?(ctx)|(?<![\w.]))(?P<v>(?(jg)(?:{_DATE}|{_YEAR})|(?:{_DATE})))"
    rf"(?(ctx)|(?=\s+geboren(?!\w)(?!\s+am\b)))",
    re.IGNORECASE)
DATE_OF_BIRTH_PREFILTER = (r"(?i)geb\.|geboren|geburts|date of birth|born|d\.?o\.?b"
                           r"|\*\s*[0-9]|jg\.|jahrgang")

# --- IP address: v4, and v6 full, compressed, IPv4-mapped, with a zone, in brackets
_V4 = r"(?:\d{1,3}\.){3}\d{1,3}"
IP_ADDRESS = re.compile(
    rf"(?:(?<![\w.:])|(?<=[^\W\d]:))(?P<v>{_V4}(?!\w|\.\d)"
    rf"|(?:[0-9a-f]{{0,4}}:){{2,8}}(?:{_V4}|[0-9a-f]{{1,4}})?(?:%[\w\-]+(?:\.\d+)?)?(?![\w:]))",
    re.IGNORECASE)
# Words before a dotted number that make it a version, not an address.
IP_VERSION_CONTEXT = re.compile(
    rf"(?<!\w)(?:{_alt(w.VERSION_WORDS)})(?!\w)[^\w\n]*(?:[^\W\d]+[^\w\n]+){{0,2}}$",
    re.IGNORECASE)
# an IPv6 address starts after no word character, dot or colon, or after a letter and a
# colon ("IP:fe80::1"): not inside a time of day ("13:29:28")
IP_ADDRESS_PREFILTER = (rf"(?:{RE2_DIGIT}{{1,3}}\.){{3}}{RE2_DIGIT}"
                        r"|(?:^|[^A-Za-z0-9_.:]|[^0-9]:)[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:")

# --- checksummed numbers and plates in the groupings people use: a pension insurance
# number with a lower-case letter or dashes, an SVNR as "1237 01 01 80" or "1237/010180",
# a tax id as "123 456 789 01", a plate in lower case or "RV - F 6163", an Austrian
# chosen plate ("W-ANNA 12")
PENSION = re.compile(r"(?<![\w])(?P<v>\d{2}[ \-]?\d{6}[ \-]?[A-Za-z][ \-]?\d{3})(?![\w])")
PENSION_PREFILTER = r"[0-9]{2}[ -]?[0-9]{6}[ -]?[A-Za-z][ -]?[0-9]{3}"
SVNR = re.compile(r"(?<![\d+])(?P<v>[1-9]\d{3}(?:[ /\-]?\d{6}|(?: \d{2}){3}))(?![\d])")
_D = RE2_DIGIT_WIDE
SVNR_PREFILTER = (rf"{RE2_NOT_AFTER_NUMBER}[1-9]{_D}{{3}}"
                  rf"(?:[ /-]?{_D}{{6}}|(?: {_D}{{2}}){{3}}){RE2_NOT_BEFORE_DIGIT}")
TAX_ID = re.compile(
    r"(?<![\d+])(?P<v>[1-9]\d(?: ?\d{3}){3}|[1-9]\d{2} \d{3} \d{3} \d{2})(?![\d])")
TAX_ID_PREFILTER = (rf"{RE2_NOT_AFTER_NUMBER}(?:[1-9]{_D}(?: ?{_D}{{3}}){{3}}"
                    rf"|[1-9]{_D}{{2}} {_D}{{3}} {_D}{{3}} {_D}{{2}})"
                    rf"{RE2_NOT_BEFORE_DIGIT}")
# Lower case with spaces ("ki m 3451", "zt 9891 vb") and chosen plates in lower case
# ("do-hans 11") are matched here, but count only after a word such as "Kennzeichen"
# or "Pkw" (PLATE_CONTEXT; publisher.detect.validators.de_plate_alone): in ordinary
# lower-case prose "am 12 mai" would be the plate of Amstetten.
DE_PLATE = re.compile(
    r"(?<![\w\-])(?P<v>[A-ZÄÖÜ]{1,3}(?:[\- ]| - )[A-Z]{1,2}[ \-]?[1-9]\d{0,3}[EH]?"
    r"|[a-zäöü]{1,3}(?:[\- ]| - )[a-z]{1,2}[ \-]?[1-9]\d{0,3}[eh]?)(?![\w\-])")
DE_PLATE_PREFILTER = (rf"{RE2_NOT_AFTER_WORD}(?:[A-ZÄÖÜ]{{1,3}}(?:[- ]| - )[A-Z]{{1,2}}[- ]?[1-9]"
                      r"|[a-zäöü]{1,3}(?:[- ]| - )[a-z]{1,2}[- ]?[1-9])")
_NOT_A_PLATE_ENDING = r"(?!(?:uhr|jan|feb|mär|apr|mai|jun|jul|aug|sep|okt|nov|dez|und|bis)\b)"
AT_PLATE = re.compile(
    r"(?<![\w\-])(?P<v>[A-Z]{1,2}[\- ]\d{1,5}[ \-]?[A-Z]{1,3}"
    rf"|[a-z]{{1,2}}(?:[\- ]| - )\d{{1,5}}(?:[ \-]| - )?{_NOT_A_PLATE_ENDING}[a-z]{{1,3}}"
    r"|[A-Z]{1,2}-[A-Z]{3,5} \d{1,3}|[a-z]{1,2}-[a-z]{3,5} \d{1,3})(?![\w\-])")
AT_PLATE_PREFILTER = (rf"{RE2_NOT_AFTER_WORD}(?:[A-Z]{{1,2}}[- ]{_D}{{1,5}}[- ]?[A-Z]"
                      rf"|[a-z]{{1,2}}(?:[- ]| - ){_D}{{1,5}}(?:[- ]| - )?[a-z]"
                      rf"|[A-Z]{{1,2}}-[A-Z]{{3,5}} {_D}|[a-z]{{1,2}}-[a-z]{{3,5}} {_D})")
PLATE_CONTEXT = re.compile(
    rf"(?<!\w)(?:{_alt(w.PLATE_CONTEXT)})(?!\w)[^\w\n]*(?:[^\W\d]+[^\w\n]+){{0,3}}$",
    re.IGNORECASE)
