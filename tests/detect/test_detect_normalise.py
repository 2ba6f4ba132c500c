"""Unicode disguises are undone before any detector runs (issue 24, part 1);
offsets stay those of the original text, so redact-text cuts the right span."""

from __future__ import annotations

import pyarrow as pa
import pytest

from publisher.detect import detect, redact
from publisher.detect.normalise import normalise, normalise_text

ZWSP, ZWJ, RLO, PDF = "\u200b", "\u200d", "\u202e", "\u202c"


@pytest.mark.parametrize(("text", "kind"), [
    ("Tel. ０１７６ ４７６３７０９６", "phone"),  # fullwidth digits
    (f"Rückruf 0176{ZWSP}4763{ZWJ}7096 bitte", "phone"),  # zero-width between digits
    ("Handy 0176\u2009476\u202f370\u200796", "phone"),  # thin, narrow no-break, figure space
    ("Mail: anna.meier＠example.de", "email"),  # fullwidth commercial at
    ("Mail: anna.meier﹫example.de", "email"),  # small commercial at
    (f"anna.meier@exam{ZWSP}ple.de", "email"),  # zero-width space in the domain
    (f"Kontakt {RLO}ed.elpmaxe@reiem_anna{PDF} danke", "email"),  # reversed behind RLO
    ("Überweisung an DE89–3704–0044–0532–0130–00", "iban"),  # en dashes
    ("IBAN de89.3704.0044.0532.0130.00", "iban"),  # dots, lower case
    ("IBAN DE89 - 3704 - 0044 - 0532 - 0130 - 00", "iban"),  # spaced hyphens
    ("Kontakt anna@müller.de", "email"),  # IDN domain
    ("Kontakt anna@mu\u0308ller.de", "email"),  # IDN domain, decomposed umlaut
])
def test_disguised_identifiers_are_found(text: str, kind: str) -> None:
    found = detect([text, "nichts hier"])
    assert list(found["kind"]) == [kind]
    assert list(found["row"]) == [0]


def test_offsets_and_values_are_those_of_the_original_text() -> None:
    text = f"Tel. ０１７６ ４７{ZWSP}６３７０９６ bitte"
    (match,) = detect([text]).itertuples()
    assert text[match.start:match.end] == match.value
    assert match.value.startswith("０１７６") and match.value.endswith("９６")


def test_redact_cuts_the_original_span() -> None:
    cells = [f"Rückruf ０１７６ ４７{ZWSP}６３７０９６ bitte", "Glas im Sandkasten",
             f"x {RLO}ed.elpmaxe@anna{PDF} y"]
    out = redact(pa.array(cells))
    assert out[0].as_py() == "Rückruf [PHONE] bitte"
    assert not any(ch.isdigit() for ch in out[0].as_py())  # no digit of it is left
    assert out[1].as_py() == cells[1]
    assert "@" not in out[2].as_py() and "[EMAIL]" in out[2].as_py()


def test_normalise_maps_every_character_back() -> None:
    text = f"a{ZWSP}＠b\u2009ﬁ"
    new, spans = normalise_text(text)
    assert new == "a@b fi"
    assert spans == [(0, 1), (2, 3), (3, 4), (4, 5), (5, 6), (5, 6)]


def test_only_changed_cells_get_a_map() -> None:
    column = pa.array(["Müller", "plain", None, "０１"])
    result = normalise(column)
    assert result.text.to_pylist() == ["Müller", "plain", None, "01"]
    assert list(result.maps) == [3]


def test_texts_the_normaliser_skips_cannot_change() -> None:
    """normalise() runs its kernels only on texts with a character outside
    _STABLE_RE2: every character inside must be one NFKC keeps, and neither
    invisible nor a space separator."""
    import random
    import unicodedata

    import pyarrow.compute as pc

    from publisher.detect import normalise as n

    stable = [chr(i) for i in range(0x3000)
              if pc.match_substring_regex(pa.array([chr(i)]), n._STABLE_RE2)[0].as_py()]
    assert len(stable) > 128 + 64 and "ä" in stable and "ğ" in stable
    for ch in stable:
        assert unicodedata.normalize("NFKC", ch) == ch, hex(ord(ch))
        assert ch not in n._INVISIBLE and (ch == " " or unicodedata.category(ch) != "Zs")
    # and the skipping changes nothing: the same texts change as with the kernels on all
    rng = random.Random(7)
    pool = [chr(i) for i in range(0x20, 0x2100)] + list(n._INVISIBLE) + ["ſ", "Ĳ", "ŉ", "\u00a0"]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randrange(1, 8))) for _ in range(20000)]
    array = pa.array([*texts, "Straße 5", "Ünal Öztürk", None, ""])
    fast = pc.replace_substring_regex(pc.utf8_normalize(
        pc.replace_substring_regex(array, n._INVISIBLE_RE2, ""), "NFKC"), r"[\p{Zs}]", " ")
    values = array.to_pylist()
    flagged = {i for i, x in enumerate(values) if x is not None and fast[i].as_py() != x}
    got = normalise(array)
    assert sorted(got.maps) == sorted(i for i in flagged if normalise_text(values[i])[0] !=
                                      values[i])
    assert got.text.to_pylist() == [normalise_text(x)[0] if i in flagged else x
                                    for i, x in enumerate(values)]
