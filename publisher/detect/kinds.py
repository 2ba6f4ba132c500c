"""The identifier kinds: how each is found and how it is confirmed (RULES.md section 1).

Each kind has three parts:

- `prefilter`: an RE2 pattern (no look-around) that pyarrow runs over the whole
  column in C++; a cell it does not match cannot hold the identifier.
- `pattern`: a Python regex run only on the cells the prefilter kept, giving
  every match with its character offsets. A group named `v`, where present,
  is the span that counts (so "geb. 12.03.1980" reports the date only).
- `confirm`: a validator (publisher.detect.validators) run once per distinct
  candidate. Where a `context` pattern finds a word such as "Tel." right before
  a candidate, `confirm_in_context` decides instead (a phone number that
  phonenumbers calls possible but not valid still counts after "Tel."; a dotted
  number after "Version" is no IP address).

Kinds with the same `screen` have their prefilters joined into one RE2 pattern
that runs first; each prefilter then reads only the cells that passed it (in a
column of dates or codes, few). The groups are kept small enough for RE2's DFA
(all prefilters in one pattern run several times slower than one by one on
identifier-dense text).

The patterns themselves live in publisher.detect.patterns, their word lists in
publisher.detect.words. A kind whose pattern is costly to try at every position
gives a `search` that finds the same matches trying fewer
(publisher.detect.searches).

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
from publisher.detect import patterns as p
from publisher.detect import searches as s
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
    weak: bool = False  # gives way to any overlapping match of another kind
    # searched in the text just before a match; where found, confirm_in_context decides
    # instead (laxer for a phone number after "Tel.", stricter for a dotted number after
    # "Version")
    context: re.Pattern[str] | None = None
    confirm_in_context: Callable[[str], v.Verdict] | None = None
    # pattern.search(text, pos), done faster (the same matches)
    search: Callable[[str, int], re.Match[str] | None] | None = None
    screen: str | None = None  # the kinds whose prefilters run joined first


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("email", "[EMAIL]", p.EMAIL_PREFILTER, p.EMAIL, v.email, ignore_case=True,
         priority=10, search=s.email, screen="letters"),
    Kind("iban", "[IBAN]", p.IBAN_PREFILTER, p.IBAN, v.iban, ignore_case=True, priority=1,
         screen="letters"),
    Kind("de-pension-number", "[PENSION-NO]", p.PENSION_PREFILTER, p.PENSION,
         v.de_pension_number, priority=2, screen="numbers"),
    Kind("at-svnr", "[SVNR]", p.SVNR_PREFILTER, p.SVNR, v.at_svnr, priority=3,
         screen="numbers"),
    Kind("de-tax-id", "[TAX-ID]", p.TAX_ID_PREFILTER, p.TAX_ID, v.de_tax_id, priority=4,
         screen="numbers"),
    Kind("ip-address", "[IP]", p.IP_ADDRESS_PREFILTER, p.IP_ADDRESS, v.ip_address, priority=5,
         context=p.IP_VERSION_CONTEXT, confirm_in_context=v.not_an_ip_address,
         search=s.ip_address, screen="numbers"),
    Kind("phone", "[PHONE]", p.PHONE_PREFILTER, p.PHONE, v.phone, priority=20,
         context=p.PHONE_CONTEXT, confirm_in_context=v.phone_in_context, search=s.phone,
         screen="numbers"),
    Kind("de-plate", "[PLATE]", p.DE_PLATE_PREFILTER, p.DE_PLATE, v.de_plate_alone, priority=30,
         context=p.PLATE_CONTEXT, confirm_in_context=v.de_plate, screen="numbers"),
    Kind("at-plate", "[PLATE]", p.AT_PLATE_PREFILTER, p.AT_PLATE, v.at_plate_alone, priority=31,
         context=p.PLATE_CONTEXT, confirm_in_context=v.at_plate, screen="numbers"),
    # before plates: "ICH BIN AM 3.1.1944 GEBOREN" is a birth date, not the plate "BIN AM 3"
    Kind("date-of-birth", "[DOB]", p.DATE_OF_BIRTH_PREFILTER, p.DATE_OF_BIRTH, v.birth_date,
         priority=25, screen="numbers"),
    Kind("street-address", "[ADDRESS]", p.STREET_PREFILTER, p.STREET, v.street_address,
         priority=45, search=s.street),
    # Person names (publisher.detect.names): name lists and the words around a
    # name, no single pattern; addresses and checksummed kinds win overlaps.
    Kind("person-name", "[NAME]", _names.prefilter, re.compile(r"(?!)"),
         priority=60, finder=_names.find, weak=True),
)}


def kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown identifier kind '{name}' "
                         f"(known: {', '.join(KINDS)})") from None
