"""The identifier kinds: how each is found and how it is confirmed (RULES.md section 1).

Each kind has three parts:

- `prefilter`: an RE2 pattern (no look-around) that pyarrow runs over the whole
  column in C++; a cell it does not match cannot hold the identifier.
- `pattern`: a Python regex run only on the cells the prefilter kept, giving
  every match with its character offsets. A group named `v`, where present,
  is the span that counts (so "geb. 12.03.1980" reports the date only).
- `confirm`: a validator (publisher.detect.validators) run once per distinct
  candidate; None where RULES.md names no validator (e-mail, street).

A kind that no single pattern can find (person names: name lists and the
words around them) gives a `finder` instead: it takes the prefiltered cells
and yields (row, start, end, value) itself; `pattern` and `confirm` are then
unused. Its prefilter may also be a function of the whole column that returns
a boolean mask (say, an Arrow set lookup of its words).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyarrow as pa

from publisher.detect import names as _names
from publisher.detect import validators as v

# (positions of the prefiltered cells, their texts) -> (row, start, end, value) per match
Finder = Callable[[list[int], list[str]], Iterable[tuple[int, int, int, str]]]
# a string column -> a boolean mask of the cells worth a closer look
Prefilter = Callable[[pa.Array], pa.Array]


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # what redact() puts in place of a match
    prefilter: str | Prefilter  # RE2 syntax, for pyarrow.compute.match_substring_regex
    pattern: re.Pattern[str]
    confirm: Callable[[str], v.Verdict] | None = None
    ignore_case: bool = False
    priority: int = 50  # lower wins where two kinds claim overlapping text
    finder: Finder | None = None


_AT = r"(?:@|\s?[\(\[]\s?at\s?[\)\]]\s?)"
_DOT = r"(?:\.|\s?[\(\[]\s?(?:dot|punkt)\s?[\)\]]\s?)"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
EMAIL = re.compile(
    rf"(?<![\w.%+-])(?P<v>[a-z0-9][a-z0-9._%+-]*{_AT}(?:{_LABEL}{_DOT})+[a-z]{{2,63}})(?![\w-])",
    re.IGNORECASE,
)

_DATE = (r"\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})(?!\d)|\d{4}-\d{2}-\d{2}"
         r"|\d{1,2}\.?\s+[^\W\d_]{3,9}\s+\d{4}")
_DOB_CONTEXT = (r"geb\.(?:\s*am)?|geboren(?:\s+am)?|geburtsdatum|geburtstag|geb\.-datum"
                r"|date\s+of\s+birth|born(?:\s+on)?|d\.?o\.?b\.?")
_STREET_END = r"(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|ring|damm)"
_NOT_UNIT = r"(?!\s?(?:m|km|cm|min|h|uhr|%|euro|€)(?!\w))"
_UPPER = "A-ZÄÖÜ"
_LOWER = "a-zäöüß"

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("email", "[EMAIL]", r"@|[\(\[] ?at ?[\)\]]", EMAIL, None, ignore_case=True,
         priority=10),
    Kind("iban", "[IBAN]", r"[A-Z]{2}[0-9]{2} ?[A-Z0-9]{4} ?[A-Z0-9]{4}",
         re.compile(r"(?<![A-Za-z0-9])(?P<v>[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}"
                    r"(?: ?[A-Z0-9]{1,3})?)(?![A-Za-z0-9])"), v.iban, priority=1),
    Kind("de-pension-number", "[PENSION-NO]", r"[0-9]{2} ?[0-9]{6} ?[A-Z] ?[0-9]{3}",
         re.compile(r"(?<![\w])(?P<v>\d{2} ?\d{6} ?[A-Z] ?\d{3})(?![\w])"),
         v.de_pension_number, priority=2),
    Kind("at-svnr", "[SVNR]", r"[1-9][0-9]{3} ?[0-9]{6}",
         re.compile(r"(?<![\d+])(?P<v>[1-9]\d{3} ?\d{6})(?![\d])"), v.at_svnr, priority=3),
    Kind("de-tax-id", "[TAX-ID]", r"[1-9][0-9] ?[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
         re.compile(r"(?<![\d+])(?P<v>[1-9]\d(?: ?\d{3}){3})(?![\d])"), v.de_tax_id,
         priority=4),
    Kind("ip-address", "[IP]",
         r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:",
         re.compile(r"(?<![\w.:])(?P<v>(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)"
                    r"|(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
                    r"|(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{0,4}::(?:[0-9a-f]{1,4}:){0,6}"
                    r"[0-9a-f]{0,4})(?![\w:])", re.IGNORECASE),
         v.ip_address, priority=5),
    Kind("phone", "[PHONE]", r"(?:\+|00) ?(?:49|43)|(?:^|[^0-9])\(?0[1-9]",
         re.compile(r"(?<![\w+])(?<!\d\s)(?<!\d[/\-])"
                    r"(?P<v>(?:(?:\+|00)\s?(?:49|43)[\s\-/]*(?:\(0\)[\s\-/]*)?"
                    r"|\(?0)[1-9]\d{0,4}\)?(?:[\s\-/]?\d){4,11})(?![\w])"),
         v.phone, priority=20),
    Kind("de-plate", "[PLATE]", r"[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2}[- ]?[1-9][0-9]{0,3}",
         re.compile(r"(?<![\w\-])(?P<v>[A-ZÄÖÜ]{1,3}[\- ][A-Z]{1,2}[ \-]?[1-9]\d{0,3}[EH]?)"
                    r"(?![\w\-])"), v.de_plate, priority=30),
    Kind("at-plate", "[PLATE]", r"[A-Z]{1,2}[- ][0-9]{1,5}[- ]?[A-Z]{1,3}",
         re.compile(r"(?<![\w\-])(?P<v>[A-Z]{1,2}[\- ]\d{1,5}[ \-]?[A-Z]{1,3})(?![\w\-])"),
         v.at_plate, priority=31),
    Kind("date-of-birth", "[DOB]", r"(?i)geb\.|geboren|geburts|date of birth|born|d\.?o\.?b",
         re.compile(rf"(?<![\w])(?:{_DOB_CONTEXT})\s*:?\s*(?:am\s+)?(?P<v>{_DATE})",
                    re.IGNORECASE), v.birth_date, priority=40),
    Kind("street-address", "[ADDRESS]",
         r"(?i)(?:stra(?:ss|ß)e|str\.|weg|gasse|platz|allee|ring|damm) +[0-9]",
         re.compile(rf"(?<![\w\-])(?P<v>(?:[{_UPPER}][{_LOWER}]+(?:er|sche)\s)?"
                    rf"(?=[{_UPPER}])[\w\-.]*?(?i:{_STREET_END})\s+\d{{1,4}}{_NOT_UNIT}"
                    r"(?:\s?[a-zA-Z](?!\w))?)(?!\w)", re.UNICODE),
         v.street_address, priority=45),
    # Person names (publisher.detect.names): name lists and the words around a
    # name, no single pattern; addresses and checksummed kinds win overlaps.
    Kind("person-name", "[NAME]", _names.prefilter, re.compile(r"(?!)"),
         priority=60, finder=_names.find),
)}


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown identifier kind '{name}' "
                         f"(known: {', '.join(KINDS)})") from None
