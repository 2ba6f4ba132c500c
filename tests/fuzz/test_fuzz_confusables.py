"""Property-based fuzzing with Unicode disguises (issue 24): an e-mail address, a
phone number or an IBAN written with fullwidth digits, a fullwidth or small
commercial at, zero-width characters between its characters and Unicode spaces
as separators is still found, at the span of the disguised text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.detect import detect
from tests.fuzz.test_fuzz_readers import EXAMPLES

FUZZ = settings(max_examples=max(25, EXAMPLES // 4), deadline=None, database=None)

IDENTIFIERS = [
    ("email", "anna.becker@example.org"),
    ("phone", "0171 2345678"),
    ("phone", "+49 30 12345678"),
    ("iban", "DE89 3704 0044 0532 0130 00"),
]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e"]
SPACES = [" ", "\u2009", "\u202f", "\u2007", "\u00a0", "\u3000"]
ATS = ["@", "\uff20", "\ufe6b"]


def _fullwidth(ch: str) -> str:
    return chr(ord(ch) - ord("0") + 0xFF10) if ch.isdigit() else ch


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    kind, plain = draw(st.sampled_from(IDENTIFIERS))
    out: list[str] = []
    for i, ch in enumerate(plain):
        if ch.isdigit() and draw(st.booleans()):
            ch = _fullwidth(ch)
        elif ch == " ":
            ch = draw(st.sampled_from(SPACES))
        elif ch == "@":
            ch = draw(st.sampled_from(ATS))
        out.append(ch)
        if 0 < i < len(plain) - 1 and draw(st.integers(0, 4)) == 0:
            out.append(draw(st.sampled_from(INVISIBLE)))
    return kind, "".join(out)


@FUZZ
@given(disguised(), st.sampled_from(["Bitte melden: {}.", "{}", "Kontakt {} danke"]))
def test_a_disguised_identifier_is_found_where_it_stands(found: tuple[str, str],
                                                         template: str) -> None:
    kind, text = found
    cell = template.format(text)
    start = cell.index(text)
    matches = detect([cell])
    hits = matches[(matches["kind"] == kind) & (matches["start"] < start + len(text))
                   & (matches["end"] > start)]
    assert len(hits) == 1, (kind, ascii(cell), matches.to_dict("records"))
    assert cell[hits["start"].iloc[0]:hits["end"].iloc[0]] == hits["value"].iloc[0]
