"""Which cells of a column can hold a person's name (publisher.detect.names), with
Arrow kernels and numpy: no Python per cell.

The column is cut at white space (Arrow), the pieces are dictionary-encoded,
and each distinct piece is judged once (publisher.detect.name_tokens, cached
across batches, and shared with the finder) into a few bits. A cell is kept
where two neighbouring pieces may start a name, or one piece holds such a pair
("Fr.Heintze"): a name-like word next to another, a first
name before a capitalised word or a noun, a title, role, label, closing word or
initial before a name-like word, "Surname, First name", or a name-like word
before what a person is ("Anwohner", "geb."). Most sentences have none.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect import name_lists as L
from publisher.detect.name_tokens import CAP, INITIAL, NOUNISH, UPPER, judge, level

# words a full stop belongs to ("K.", "Dr.", "St."), and closing formulas ("Grüße.")
_DOTTED = INITIAL | L.TITLE | L.TITLE_ABBR | L.ACADEMIC | L.NOT_BEFORE | L.CLOSING

# one bit each, per distinct piece
_NAMEY = 1  # level 1 or more
_STRONG = 2  # level 2 or more
_TRIGGER = 4  # a role, label or initial: a name may follow
_INTRO = 8  # von, laut, durch: a name may follow
_LOOSE = 16  # may be a surname where the words around say so ("Herr Salz", "J. Speer")
_AFTER = 32  # what a person is (Anwohner, geb.)
_FIRST = 64  # a known first name that is no common word
_NOUN = 128  # a common noun (a surname after a first name: "heini huhn")
_PARTICLE = 256  # von, van, de ("Herrn van der Dussen")
_CAPITAL = 512  # written with a capital
_TITLE = 1024  # Herr, Frau, Dr.
_KNOWN = 2048  # a known first name or surname
_CLEAR = 4096  # level 3, or a name-like word written with a capital
_SURNAME = 8192  # a known surname that is no word written in lower case ("Wagner")
_ANY_NAME = 16384  # a known name, even if a function word ("herrn ernst")
_COMMA = 32768  # a comma right after it ("Hecker, Arno")
_CLOSING = 65536  # Grüße, MfG, Danke
_INSIDE = 131072  # a piece of two words that may start a name ("Fr.Heintze", "Name:Wagner")
_FIRST_ANY = 262144  # a known first name, even if also a word ("Dietrich", "Rose")
_END = 524288  # a sentence ends after it ("Sturm." "Bitte ...")
_ALL = (_END << 1) - 1  # every bit above (_END the highest)
_THANKS = frozenset(("danke", "dank", "dankeschön"))
_ARTICLES = frozenset(("der", "den", "das", "dem", "zu", "zum", "zur", "vom"))

_JUNK = re.compile(r"[\d@]|://|www\.|\(at\)|\[at\]")
_TAIL = "\"'“”„«»‚‘’()[]{}<>.,;:!?*/|+=&…–—"
_codes: dict[str, int] = {}
_CODES = 300_000


def _code(piece: str) -> int:
    """The bits of a piece of text between white space ("Becker,", "(Anwohner).")."""
    code = _codes.get(piece)
    if code is None:
        if _JUNK.search(piece):
            return 0  # numbers, codes, addresses: never a name, and too many to keep
        if len(_codes) > _CODES:
            _codes.clear()
        j = judge()
        words = j.pieces.get(piece)
        if words is None:
            words = j.piece(piece)
        code = 0
        for word, _, info in words:
            got = _bits(info)
            if word.lower() in _ARTICLES:
                got &= ~_PARTICLE  # "Hausmeister der Schule"
            if code and any(_pairs(code, got).values()):
                got |= _INSIDE
            code |= got
        tail = piece[len(piece.rstrip(_TAIL)):]
        if words and "," in tail:
            code |= _COMMA
        if words and not words[-1][2] & _DOTTED and ("." in tail or "!" in tail or "?" in tail):
            code |= _END
        elif words and words[-1][0].lower() in _THANKS and tail.strip(","):
            code |= _END  # "Danke! Die Laterne ...": no signature after thanks but "Danke,"
        _codes[piece] = code
    return code


@lru_cache(maxsize=1 << 16)
def _bits(info: int) -> int:
    """The bits of one judged word (name_tokens.Judge.info); many words share an info,
    so each is worked out once (cached)."""
    lvl = level(info)
    capital = bool(info & (CAP | UPPER))
    known = bool(info & (L.FIRST | L.SURNAME))
    common = bool(info & (L.NOUN | L.WORD | L.STOP | L.CALENDAR))
    loose = (lvl >= 0 and (not info & L.STOP or (known and lvl >= 1)) and
             not info & L.PLACE_WORD and (capital or lvl >= 1 or bool(info & (L.NOUN | NOUNISH)))
             and not (info & L.WORD and not capital and lvl < 3)) or \
        (capital and bool(info & (L.ROLE | L.PLACE_WORD)))  # "S Bruder"
    return (_NAMEY * (lvl >= 1) | _STRONG * (lvl >= 2) |
            _TRIGGER * bool(info & (L.ROLE | L.LABEL | INITIAL)) |
            _CLOSING * bool(info & L.CLOSING) |
            _INTRO * bool(info & L.INTRO) | _LOOSE * loose | _AFTER * bool(info & L.AFTER) |
            _FIRST * (lvl >= 1 and bool(info & L.FIRST) and (lvl == 3 or not common)) |
            _NOUN * (lvl == 0 and bool(info & (L.NOUN | NOUNISH)) and
                     not info & (L.WORD | L.STOP)) |
            _PARTICLE * bool(info & L.PARTICLE) | _CAPITAL * capital |
            _TITLE * bool(info & (L.TITLE | L.TITLE_ABBR | L.ACADEMIC)) |
            _KNOWN * (known and lvl >= 1 and not info & L.PLACE_WORD) | _ANY_NAME * known |
            _CLEAR * (lvl == 3 or (lvl >= 2 and capital)) |
            _SURNAME * (lvl >= 1 and bool(info & L.SURNAME) and not info & L.WORD) |
            _FIRST_ANY * (lvl >= 1 and bool(info & L.FIRST)))


def _pairs(a: Any, b: Any) -> dict[str, Any]:
    """For each pair of neighbouring pieces (a, b), by the pattern it may start:
    numpy arrays of bits, or two ints."""

    def both(x: int, y: int) -> Any:
        return ((a & x) > 0) & ((b & y) > 0)

    return {
        "name-like": both(_NAMEY, _STRONG) | both(_STRONG, _NAMEY),  # one strong
        "first name": both(_FIRST, _CAPITAL | _NOUN | _PARTICLE),  # then a surname
        "known": both(_KNOWN, _SURNAME) | (both(_FIRST_ANY, _FIRST_ANY) &
                                           both(_CAPITAL, _CAPITAL)),
        "title": both(_TITLE, _LOOSE | _ANY_NAME | _PARTICLE | _CAPITAL),
        "trigger": both(_TRIGGER, _LOOSE | _PARTICLE),
        "closing": both(_CLOSING, _NAMEY | _PARTICLE | _CAPITAL),
        "intro": both(_INTRO, _CLEAR | _FIRST | _KNOWN),
        "comma": both(_COMMA, _FIRST | _SURNAME) & both(_CAPITAL | _NAMEY, _NAMEY),
        "after": both(_STRONG, _AFTER),  # "Stoica (Anwohner)"
    }


def prefilter(array: pa.Array) -> pa.Array:
    """A boolean mask of the cells worth the finder's look."""
    n = len(array)
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return pa.array(mask)
    words = pc.ascii_split_whitespace(array)
    flat = pc.list_flatten(words)
    if len(flat) == 0:
        return pa.array(mask)
    parents = pc.list_parent_indices(words).to_numpy()
    encoded = pc.dictionary_encode(flat)
    pieces = encoded.dictionary
    # pieces with digits, an @ or a link's marks are never names (_code gives them 0):
    # found in C++, they never reach Python
    plain = pc.invert(pc.match_substring_regex(pieces, _JUNK.pattern))
    at = pc.indices_nonzero(plain).to_numpy()
    codes = np.zeros(len(pieces), dtype=np.uint32)
    codes[at] = np.fromiter(map(_code, pieces.take(pa.array(at)).to_pylist()),
                            dtype=np.uint32, count=len(at))
    index = encoded.indices.to_numpy(zero_copy_only=False)
    c = codes[index]
    # Each pattern of _pairs asks for bits of both pieces, so a piece that starts no
    # pair beside a piece with every bit (or ends none after one) is in none: judged
    # once per distinct piece, this leaves the patterns a fraction of the neighbours.
    left = np.logical_or.reduce(list(_pairs(codes, _ALL).values())) & ((codes & _END) == 0)
    right = np.logical_or.reduce(list(_pairs(_ALL, codes).values()))
    at = np.flatnonzero(left[index[:-1]] & right[index[1:]] & (parents[:-1] == parents[1:]))
    pair = np.logical_or.reduce(list(_pairs(c[at], c[at + 1]).values()))
    mask[parents[at[pair]]] = True
    mask[parents[np.flatnonzero(c & _INSIDE)]] = True
    return pa.array(mask)
