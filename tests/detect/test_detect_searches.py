"""publisher.detect.searches finds what the patterns' own search finds, from any
start position, on texts made of the pieces identifiers and their look-alikes
are made of."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.detect import KINDS, searches
from publisher.detect import patterns as p

_PIECES = ["0", "0171", "1234567", "+49", "0049", "(0)", "(0231)", "(", ")", " ", "  ",
           "/", "-", ".", "\t", "\n", "\xa0", "٣", "12", "5", "3b", "12/3/4", "Top", "Tel.",
           "anna", "a.b", "_", "%", "+", "@", " @ ", "(at)", "[at]", " at ", " AT ", "{ät}",
           "<@>", "(punkt)", " dot ", "example", "de", "müller", "Hauptstraße",
           "Hauptstr.", "Bürgermeister-Karl-Friedrich-Schinkel-Straße", "Str", "weg",
           "gasse", "Berliner", "Alte", "Am", "am", "An der", "in der", "Hang", "Linde",
           "Parkplatz", "Bänke", "x" * 90, "2024-05-01", "12.05.2024", "13:29",
           "192.168.0.1", "1.2.3", "fe80", "::", ":", "::1", "%eth0", "2a01:c22:23a9",
           "v1.2.3.4", "IP:", "abcdef"]
_TEXT = st.lists(st.sampled_from(_PIECES) | st.characters(exclude_categories=("Cs",)),
                 max_size=30).map("".join)
_SEARCHES = [(searches.phone, p.PHONE), (searches.email, p.EMAIL), (searches.street, p.STREET),
             (searches.ip_address, p.IP_ADDRESS)]


def _spans(search, text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) if (m := search(text, pos)) else (-1, -1)
            for pos in range(len(text) + 1)]


@pytest.mark.parametrize(("search", "pattern"), _SEARCHES,
                         ids=["phone", "email", "street", "ip-address"])
@settings(max_examples=500, deadline=None, database=None)
@given(text=_TEXT)
def test_search_finds_what_the_pattern_finds_from_every_position(search, pattern, text):
    assert _spans(search, text) == _spans(pattern.search, text)


@pytest.mark.parametrize(("search", "text", "value"), [
    (searches.phone, "Anruf vom Januar, Tel. (0231) 517 40 17", "(0231) 517 40 17"),
    (searches.email, "name (at) example (punkt) de", "name (at) example (punkt) de"),
    (searches.email, "Mail an jürgen.groß@example.de bitte", "jürgen.groß@example.de"),
    (searches.street, "Am Hang 5 und Hauptstr.12", "Am Hang 5"),
    (searches.street, "nichts " * 30 + "Berliner Straße 5", "Berliner Straße 5"),
    (searches.street, "Tel 0171, Bürgermeister-Karl-Friedrich-Schinkel-Straße 5",
     "Bürgermeister-Karl-Friedrich-Schinkel-Straße 5"),
    (searches.ip_address, "Zugriff von 192.168.0.1 und fe80::1", "192.168.0.1"),
    (searches.ip_address, "Router IP:fe80::1%eth0", "fe80::1%eth0"),
])
def test_search_finds_the_forms(search, text, value):
    found = search(text, 0)
    assert found is not None and found.group("v") == value


def test_the_costly_kinds_use_them():
    assert KINDS["phone"].search is searches.phone
    assert KINDS["email"].search is searches.email
    assert KINDS["street-address"].search is searches.street
    assert KINDS["ip-address"].search is searches.ip_address
