"""Which cells of a column can hold a person's name (publisher.detect.names), with
Arrow kernels and numpy only: no Python per cell.

The column is cut into words (spaces and punctuation), the words are
dictionary-encoded, and each distinct word is judged once (publisher.detect.
name_tokens, cached across batches). A cell is kept where a name-like word
stands next to another, a first name before a capitalised word or a noun, a
title, role, label or closing word before a name-like word, or a name-like
word before what a person is ("Anwohner", "geb."). Most sentences have none.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect import name_lists as L
from publisher.detect.name_tokens import CAP, INITIAL, NOUNISH, UPPER, judge, level

# what separates words, besides white space (kept: letters, digits, - ' ’ @)
_SEPARATORS = r"[,;:.()\[\]{}\"„“”‚‘«»!?<>|/*+=&]"
_STRONG_TRIGGERS = (L.TITLE | L.TITLE_ABBR | L.ACADEMIC | L.ROLE | L.LABEL | L.CLOSING |
                    INITIAL)

# one bit each, per distinct word
_NAMEY = 1  # level 1 or more
_STRONG = 2  # level 2 or more
_TRIGGER = 4  # a title, role, label, closing word or initial: a name may follow
_INTRO = 8  # von, laut, durch: a name may follow
_LOOSE = 16  # may be a surname where the words around say so ("Herr Salz", "J. Speer")
_AFTER = 32  # what a person is (Anwohner, geb.)
_FIRST = 64  # a known first name
_NOUN = 128  # a common noun (a surname after a first name: "heini huhn")
_PARTICLE = 256  # von, van, de ("Herrn van der Dussen")
_CAPITAL = 512  # written with a capital

_codes: dict[str, int] = {}
_CODES = 300_000


def _code(word: str) -> int:
    code = _codes.get(word)
    if code is None:
        if len(_codes) > _CODES:
            _codes.clear()
        info = judge().info(word)
        lvl = level(info)
        capital = bool(info & (CAP | UPPER))
        code = (_NAMEY * (lvl >= 1) | _STRONG * (lvl >= 2) |
                _TRIGGER * bool(info & _STRONG_TRIGGERS) | _INTRO * bool(info & L.INTRO) |
                _LOOSE * (capital or ((lvl >= 0 and not info & (L.STOP | L.PLACE_WORD)) and (
                    lvl >= 1 or bool(info & (L.NOUN | NOUNISH | L.FIRST | L.SURNAME))))) |
                _AFTER * bool(info & L.AFTER) |
                _FIRST * (lvl >= 1 and bool(info & L.FIRST)) |
                _NOUN * (lvl == 0 and bool(info & (L.NOUN | NOUNISH)) and
                         not info & (L.WORD | L.STOP)) |
                _PARTICLE * bool(info & L.PARTICLE) | _CAPITAL * capital)
        _codes[word] = code
    return code


def prefilter(array: pa.Array) -> pa.Array:
    """A boolean mask of the cells worth the finder's look."""
    n = len(array)
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return pa.array(mask)
    words = pc.utf8_split_whitespace(pc.replace_substring_regex(array, _SEPARATORS, " "))
    flat = pc.list_flatten(words)
    if len(flat) < 2:
        return pa.array(mask)
    parents = pc.list_parent_indices(words).to_numpy()
    encoded = pc.dictionary_encode(flat)
    distinct = encoded.dictionary.to_pylist()
    codes = np.fromiter(map(_code, distinct), dtype=np.uint16, count=len(distinct))
    c = codes[encoded.indices.to_numpy(zero_copy_only=False)]
    a, b = c[:-1], c[1:]
    pair = (((a & _NAMEY) & (b >> 1)) | ((a >> 1) & (b & _NAMEY))) & 1  # name-like, one strong
    pair |= ((a & _FIRST) > 0) & ((b & (_CAPITAL | _NOUN | _PARTICLE)) > 0)  # first, surname
    pair |= ((a & _TRIGGER) > 0) & ((b & (_LOOSE | _PARTICLE)) > 0)
    pair |= ((a & _INTRO) > 0) & ((b & _NAMEY) > 0)
    pair |= ((a & _CAPITAL) > 0) & ((b & _FIRST) > 0)  # "Hecker, Arno"
    pair |= ((a & _NAMEY) > 0) & ((b & _AFTER) > 0)
    hit = np.flatnonzero(pair.astype(bool) & (parents[:-1] == parents[1:]))
    mask[np.unique(parents[hit])] = True
    return pa.array(mask)
