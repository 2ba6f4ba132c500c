"""Text as the detectors read it: Unicode disguises undone (issue 24).

People, and people who want to slip past a gate, write identifiers with
fullwidth digits ("０１７６"), a fullwidth or small commercial at ("＠", "﹫"),
zero-width spaces or joiners between digits, thin, narrow no-break or figure
spaces as separators, and text reversed behind a RIGHT-TO-LEFT OVERRIDE that a
reader sees in the right order. Before any pattern runs, a cell is read as a
person reads it:

- zero-width characters (U+200B-U+200D, U+2060, U+FEFF, U+00AD soft hyphen) and
  bidi controls (U+200E/F, U+202A-U+202E, U+2066-U+2069) are removed;
- Unicode NFKC folds compatibility forms (fullwidth, small forms, ligatures,
  superscripts) into the plain ones;
- every Unicode space separator is a plain space;
- the text after a RIGHT-TO-LEFT OVERRIDE (U+202E), up to the next POP
  DIRECTIONAL FORMATTING (U+202C), isolate end or line end, is read reversed,
  as it is displayed.

The whole column is normalised with pyarrow's C++ kernels (RE2 and utf8proc);
only the cells whose text changes are rebuilt in Python with a position map,
so a match in the normalised text maps back to the span of the original text
it came from (`Normalised.restore`): redact-text then cuts the original.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect.matches import Matches

_INVISIBLE = ("\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width
              "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # bidi
_RLO, _PDF = "\u202e", "\u202c"
_RLO_END = "\u202c\u2069\n\r"  # what ends a right-to-left override's span
_INVISIBLE_RE2 = "[" + "".join(f"\\x{{{ord(c):04x}}}" for c in _INVISIBLE) + "]"
_SPACE = re.compile(r"[^\S\n\r\t\f\v]")  # a space separator other than the plain space
# texts of these characters only are as the detectors read them: ASCII and the Latin
# letters of U+00C0-U+017E that NFKC keeps (not "Ĳ", "Ŀ", "ŉ", "ſ"); none is invisible
# or a space separator (tests/detect/test_detect_normalise.py checks it)
_STABLE_RE2 = (r"^[\x{00}-\x{7f}\x{c0}-\x{131}\x{134}-\x{13e}\x{141}-\x{148}"
               r"\x{14a}-\x{17e}]*$")


def normalise_text(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The normalised text, and for each of its characters the (start, end) span
    of the original characters it came from."""
    chars, origin = _display_order(text)
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(chars):
        # a starter and the combining marks after it normalise together
        j = i + 1
        while j < len(chars) and unicodedata.combining(chars[j]):
            j += 1
        lo = min(origin[i:j])
        hi = max(origin[i:j]) + 1
        for ch in unicodedata.normalize("NFKC", "".join(chars[i:j])):
            out.append(" " if ch != " " and _SPACE.match(ch) else ch)
            spans.append((lo, hi))
        i = j
    return "".join(out), spans


def _display_order(text: str) -> tuple[list[str], list[int]]:
    """The visible characters (invisible ones dropped) with their original
    positions, a right-to-left override's span reversed."""
    chars: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == _RLO:
            end = i + 1
            while end < len(text) and text[end] not in _RLO_END:
                end += 1
            span = [(k, text[k]) for k in range(end - 1, i, -1) if text[k] not in _INVISIBLE]
            chars.extend(c for _, c in span)
            origin.extend(k for k, _ in span)
            i = end
            continue
        if ch not in _INVISIBLE:
            chars.append(ch)
            origin.append(i)
        i += 1
    return chars, origin


@dataclass
class Normalised:
    """A string column as the detectors read it, and the way back to the original."""

    original: pa.Array
    text: pa.Array
    maps: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # row -> spans

    def restore(self, matches: pd.DataFrame) -> pd.DataFrame:
        """Matches (kind, row, start, end, value) found in `text`, with start, end and
        value of the original text; rows whose text did not change are kept as found."""
        if matches.empty or not self.maps:
            return matches
        spans = self._spans(matches["row"].to_numpy(), matches["start"].to_numpy(),
                            matches["end"].to_numpy(), matches["value"].tolist())
        if spans is None:
            return matches
        out = matches.copy()
        out["start"], out["end"], out["value"] = spans
        return out

    def restore_matches(self, matches: Matches) -> Matches:
        """restore() for a scan's Matches (`cell` a position in `text`)."""
        if not len(matches) or not self.maps:
            return matches
        spans = self._spans(matches.cell, matches.start, matches.end, matches.value.tolist())
        if spans is None:
            return matches
        starts, ends, values = spans
        value = np.empty(len(values), dtype=object)
        value[:] = values
        return Matches(matches.kinds, matches.kind, matches.cell, starts, ends, value)

    def _spans(self, rows: np.ndarray, starts: np.ndarray, ends: np.ndarray,
               values: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]] | None:
        changed = np.isin(rows, np.fromiter(self.maps, dtype=np.int64, count=len(self.maps)))
        if not changed.any():
            return None
        starts = starts.astype(np.int64, copy=True)
        ends = ends.astype(np.int64, copy=True)
        values = list(values)
        for i in np.flatnonzero(changed).tolist():
            spans = self.maps[int(rows[i])]
            lo, hi = int(starts[i]), int(ends[i])
            if hi <= lo or lo >= len(spans):
                continue
            covered = spans[lo:min(hi, len(spans))]
            starts[i] = min(s for s, _ in covered)
            ends[i] = max(e for _, e in covered)
            original = self.original[int(rows[i])].as_py()
            values[i] = original[starts[i]:ends[i]]
        return starts, ends, values


def normalise(array: pa.Array) -> Normalised:
    """The column normalised (see the module's docstring); `array` is a pyarrow
    string array. The column is normalised in C++ first; only the cells that changed
    are normalised again in Python, with their position maps."""
    # only a text with a character outside _STABLE_RE2 can change: the others (all
    # ASCII, or German and most Latin letters) skip the costly NFKC kernel; a text
    # all ASCII is told apart by a check far cheaper than the pattern
    wider = pc.indices_nonzero(pc.invert(pc.fill_null(pc.string_is_ascii(array),
                                                      True))).to_numpy()
    if wider.size == 0:
        return Normalised(array, array)
    unstable = pc.invert(pc.fill_null(pc.match_substring_regex(
        array.take(pa.array(wider)), _STABLE_RE2), True))
    maybe = wider[pc.indices_nonzero(unstable).to_numpy()]
    if maybe.size == 0:
        return Normalised(array, array)
    some = array.take(pa.array(maybe))
    fast = pc.replace_substring_regex(
        pc.utf8_normalize(pc.replace_substring_regex(some, _INVISIBLE_RE2, ""), "NFKC"),
        r"[\p{Zs}]", " ")
    changed = pc.fill_null(pc.not_equal(fast, some), False)
    positions = maybe[pc.indices_nonzero(changed).to_numpy()]
    if positions.size == 0:
        return Normalised(array, array)
    texts = array.take(pa.array(positions)).to_pylist()
    maps: dict[int, list[tuple[int, int]]] = {}
    replaced: list[str] = []
    for position, text in zip(positions.tolist(), texts, strict=True):
        new, spans = normalise_text(text)
        if new != text:
            maps[position] = spans
        replaced.append(new)
    if not maps:
        return Normalised(array, array)
    flags = np.zeros(len(array), dtype=bool)
    flags[positions] = True
    text = pc.replace_with_mask(array, pa.array(flags), pa.array(replaced, type=array.type))
    return Normalised(array, text, maps)
