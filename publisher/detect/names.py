"""Person names in free text and in whole columns (RULES.md section 1, last row).

No model: name lists (publisher.detect.name_lists) and the words around a
name. What counts as a name:

- a known first name followed by a capitalised word: "Klaus Wagner",
  "Hans-Peter Müller-Lüdenscheidt", "Anna von der Heide", "Elif Öztürk";
- a surname after an address form or title (Herr, Frau, Familie, Dr., Prof.,
  Hr., Fr., "Frau Dr."), also with initials ("Herr K. Wagner");
- a name after a closing formula ("Viele Grüße", "MfG", "LG", "i. A."),
  also on the next line;
- "Nachname, Vorname" ("Wagner, Klaus") and "Nachname, V." ("Wagner, K.").

What does not (a careful reader's call, each a decoy family in the tests):
streets, schools, bridges, stops and institutions named after people
("Albert-Schweitzer-Schule", "Willy Brandt Platz", "Haltestelle Karl Marx"),
shop and firm names ("Bäckerei Müller", "Klaus Meier GmbH"), saints and
holidays ("Sankt Martin", "Mariä Himmelfahrt"), brands ("Mercedes Benz"),
and first names that are words or dates ("im August Bauarbeiten", "Mai
2024", "Rose"): a first name that is also a German noun or a month counts only
before a known surname or a word that is no common noun. The value reported
is the name alone, without the title: "Herr Becker" gives "Becker".

Speed: `prefilter` splits the column into words and looks them up in Arrow
(`utf8_split_whitespace`, `is_in` against the first names, titles and closing
formulas); only the cells with such a word reach the Python `find`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from publisher.detect import name_words as W
from publisher.detect.name_lists import NameLists, name_lists

# The words the finder looks at: capitalised words and name particles, with
# inner hyphens and apostrophes ("Müller-Lüdenscheidt", "O'Brien"). Other
# words are left out, so the text between two tokens shows what separates them.
_UPPER = "".join(ch for ch in map(chr, range(0x41, 0x250)) if ch.isupper())
_SPACE = re.compile(r"[ \t\u00a0]+")  # between the words of one name: spaces only

_WORD = re.compile(r"(?<![^\W\d_'’\-])(?:[" + _UPPER + r"][^\W\d_]*(?:['’\-][^\W\d_]+)*"
                   r"|(?:" + "|".join(sorted(W.PARTICLES, key=len, reverse=True)) +
                   r")(?![^\W\d_'’\-]))")
_CLOSING_HINT = re.compile(r"gr[uü]|mfg|lg|vg|i\.\s?[av]\.|regards", re.IGNORECASE)
_CLOSING = re.compile(
    r"(?<![\w])(?:(?:viele|liebe|beste|herzliche|freundliche|schöne|sonnige|nette)\s+"
    r"grü(?:ß|ss)e|mit\s+freundlichen\s+grü(?:ß|ss)en|mit\s+freundlichem\s+gru(?:ß|ss)"
    r"|(?:viele|liebe|beste|herzliche|freundliche)[rn]?\s+gru(?:ß|ss)|gru(?:ß|ss)|grü(?:ß|ss)e"
    r"|mfg|lg|vg|i\.\s?a\.|i\.\s?v\.|(?:best|kind)\s+regards|regards)(?![\w])"
    r"[ \t]*[,.!:;\-–]?[ \t]*\r?\n?[ \t\r\n]*(?:(?:ihr|ihre|dein|deine|euer|eure)\s+)?",
    re.IGNORECASE)
# Cells this long are free text, not a column value (for the column share).
_VALUE_CHARS = 60
_SAMPLE = 5000
# The column share counts a lone capitalised word that no list knows (a rare
# surname) only where at least this share of the values are sure names.
_SURE_SHARE = 0.2
DEFAULT_COLUMN_SHARE = 0.5
_TRIM = ",.;:!?()[]{}\"'“”„«»‚‘’<>/*"


@dataclass(slots=True)
class _Tok:
    text: str
    start: int
    end: int
    dot: bool  # a full stop right after it


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _WORD.finditer(text):
        start, end = m.span()
        out.append(_Tok(m.group(), start, end, text.startswith(".", end)))
    return out


class _Judge:
    """The word tests, on one set of lists."""

    def __init__(self, lists: NameLists) -> None:
        self.l = lists
        self._nouns: dict[str, bool] = {}  # noun_like, per word: words repeat across cells

    def cap(self, w: str) -> bool:
        return w[:1].isupper() and not (len(w) > 1 and w.isupper() and len(w) < 3)

    def first(self, w: str) -> bool:
        first = self.l.first
        return w in first or ("-" in w and all(p in first for p in w.split("-")))

    def known_name(self, w: str) -> bool:
        return w in self.l.surnames or self.first(w) or \
            ("-" in w and all(p in self.l.surnames or p in self.l.first for p in w.split("-")))

    def noun_like(self, w: str) -> bool:
        """A common noun, or a compound ending in one ("Spielplatzrand", "Bürgeramt")
        whose head is no surname ("Lauterbach" is no compound of "Bach" here)."""
        known = self._nouns.get(w)
        if known is None:
            if len(self._nouns) > 200_000:
                self._nouns.clear()
            known = self._nouns[w] = self._noun_like(w)
        return known

    def _noun_like(self, w: str) -> bool:
        nouns, surnames = self.l.nouns, self.l.surnames
        last = w.rsplit("-", 1)[-1]
        if last in nouns or w in nouns:
            return True
        if len(last) > 5 and last.endswith("amt"):
            return True
        for i in range(3, len(last) - 3):
            head = last[i:].capitalize()
            if head in nouns and head not in surnames:
                return True
        return False

    def stop(self, w: str) -> bool:
        return w.lower() in self.l.stopwords

    def place_word(self, w: str) -> bool:
        low = w.lower()
        last = low.rsplit("-", 1)[-1]
        return last in W.PLACE_WORDS or low.endswith(W.PLACE_ENDINGS)

    def role(self, w: str) -> bool:
        """An office or relation used in address ("Frau Bürgermeisterin", "Herr Pfarrer")."""
        if len(w) < 4 or self.known_name(w):
            return False  # "Herr Richter": a surname first
        base = w[:-2] if w.endswith("in") else w
        return w in W.ROLES or base in W.ROLES or w.endswith(("meister", "meisterin"))

    def surname_ok(self, w: str, *, strict: bool) -> bool:
        """Can `w` be a surname here? strict: it must not be a common noun or a
        place either, unless a list knows it as a name."""
        if not self.cap(w) or w in W.HOLIDAY_WORDS or w.lower() in W.FIRM_WORDS:
            return False
        if self.place_word(w) and not (w.lower() in W.PLACE_WORDS and self.known_name(w)):
            return False  # "Lindenstraße"; but "Herr Halle" is a person
        if self.known_name(w):
            return True
        # A function word written capitalised inside a name is a name ("Mona Daher");
        # only where nouns are doubted does it stop one.
        return not (strict and (self.stop(w) or self.noun_like(w) or w in self.l.places))


@cache
def _judge() -> _Judge:
    return _Judge(name_lists())


def _spaced(text: str, a: _Tok, b: _Tok) -> bool:
    """Only spaces between two words (after the full stop of an initial or a title)."""
    gap = text[a.end:b.start]
    if a.dot and (len(a.text) == 1 or a.text in W.ACADEMIC or a.text in W.ADDRESS_ABBR):
        gap = gap[1:]
        return gap == "" or _SPACE.fullmatch(gap) is not None
    return _SPACE.fullmatch(gap) is not None


def _initial(tok: _Tok) -> bool:
    return len(tok.text) == 1 and tok.text.isupper() and tok.dot


def _blocked_after(j: _Judge, text: str, toks: list[_Tok], k: int) -> bool:
    """The word after a name makes it a place or firm ("Willy Brandt Platz", "... GmbH")."""
    if k + 1 >= len(toks):
        return False
    nxt = toks[k + 1]
    gap = text[toks[k].end:nxt.start]
    if gap.strip(" \t") in ("", "&", "+", "-") and "\n" not in gap:
        return j.place_word(nxt.text) or nxt.text.lower() in W.FIRM_WORDS or \
            nxt.text.lower().replace(".", "") in W.FIRM_WORDS
    return False


def _blocked_before(text: str, toks: list[_Tok], i: int) -> bool:
    """A word before the name (or before the capitalised words leading to it) that
    makes it a stop, a shop, a place or a saint: "Haltestelle Johann Wolfgang
    Goethe", "Bäckerei Klaus Müller", "Richtung Maria Enzersdorf", "Sankt Martin"."""
    k = i
    for _ in range(3):
        if k == 0:
            return False
        prev = toks[k - 1]
        gap = text[prev.end:toks[k].start]
        if prev.dot and len(prev.text) <= 3:
            gap = gap[1:]  # "St. Martin", "Fa. Müller"
        if not prev.text[:1].isupper() or _SPACE.fullmatch(gap) is None:
            return False
        low = prev.text.lower()
        if low in W.NOT_A_PERSON_BEFORE or (len(low) > 5 and low.endswith(W.TRADE_ENDINGS)):
            return True
        k -= 1
    return False


def _chain(j: _Judge, text: str, toks: list[_Tok], i: int,
           *, strict: bool) -> tuple[int, int] | None:
    """From toks[i] (a first name or an initial): more given names and initials,
    particles ("von der"), then a surname. Returns (first, last) token indexes."""
    n = len(toks)
    given = [i]
    k = i + 1
    while k < n and _spaced(text, toks[k - 1], toks[k]) and (
            j.first(toks[k].text) or _initial(toks[k])):
        if j.place_word(toks[k].text):
            return None  # "Paul Gerhardt Halle": a first name that ends a place's name
        given.append(k)
        k += 1
        if toks[k - 1].dot and not _initial(toks[k - 1]):
            break  # the end of a sentence
    p = k
    while p < n and toks[p].text in W.PARTICLES and _spaced(text, toks[p - 1], toks[p]):
        p += 1
    if p < n and _spaced(text, toks[p - 1], toks[p]) and j.place_word(toks[p].text):
        return None  # "Johann-Wolfgang-Goethe Park"
    if p < n and _spaced(text, toks[p - 1], toks[p]) and not _initial(toks[p]) and \
            j.surname_ok(toks[p].text, strict=strict):
        w = toks[p].text
        if p == k and len(given) >= 2 and not _initial(toks[given[-1]]) and \
                j.noun_like(w) and not j.known_name(w):
            return i, given[-1]  # "Anna Maria Telefon ...": Maria is the surname
        return i, p
    if p == k and len(given) >= 2 and not _initial(toks[given[-1]]):
        return i, given[-1]  # "Klaus Peter hat angerufen"
    return None


def _find_in(j: _Judge, text: str) -> list[tuple[int, int]]:
    toks = _tokens(text)
    spans: list[tuple[int, int]] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        w = t.text
        if not w[0].isupper():
            i += 1
            continue
        # 1. an address form or title, then a name
        if _title(t) and not _blocked_before(text, toks, i):
            k = i + 1
            while k < n and _spaced(text, toks[k - 1], toks[k]) and (
                    _title(toks[k], academic_only=True) or j.role(toks[k].text)):
                k += 1
            if k < n and _spaced(text, toks[k - 1], toks[k]):
                found = _titled(j, text, toks, k, strict=w == "Fr")
                if found is not None:
                    spans.append((toks[found[0]].start, toks[found[1]].end))
                    i = found[1] + 1
                    continue
            i = k
            continue
        # 2. a first name, then a surname
        if j.first(w) and not t.dot and j.cap(w) and not _blocked_before(text, toks, i):
            found = _chain(j, text, toks, i, strict=w in j.l.ambiguous)
            if found is not None and found[1] > found[0] and \
                    _plausible(j, text, toks, *found):
                spans.append((t.start, toks[found[1]].end))
                i = found[1] + 1
                continue
        # 3. "Nachname, Vorname" and "Nachname, V."
        if i + 1 < n and text.startswith(",", t.end) and _comma_name(j, text, toks, i):
            nxt = toks[i + 1]
            spans.append((t.start, nxt.end + (1 if _initial(nxt) else 0)))
            i += 2
            continue
        i += 1
    spans.extend(_signatures(j, text))
    return _merge(spans)


def _title(t: _Tok, academic_only: bool = False) -> bool:
    w = t.text
    if w in W.ACADEMIC:
        return t.dot or w in W.ACADEMIC_NO_DOT
    if academic_only:
        return False
    return w in W.ADDRESS or (w in W.ADDRESS_ABBR and t.dot)


def _titled(j: _Judge, text: str, toks: list[_Tok], k: int,
            strict: bool) -> tuple[int, int] | None:
    """The name after a title: "Becker", "Klaus Wagner", "K. Wagner", "von der Heide"."""
    t = toks[k]
    if t.text in W.PARTICLES:
        p = k
        while p < len(toks) and toks[p].text in W.PARTICLES:
            p += 1
        if p < len(toks) and j.surname_ok(toks[p].text, strict=strict) and \
                not _blocked_after(j, text, toks, p):
            return k, p
        return None
    if _initial(t) or (j.first(t.text) and not t.dot):
        found = _chain(j, text, toks, k, strict=strict)
        if found is not None and not _blocked_after(j, text, toks, found[1]):
            return found
        if _initial(t) or found is not None:
            return None
        # "Frau Anna": a first name alone after an address form is still a name
        if j.surname_ok(t.text, strict=False) and not _blocked_after(j, text, toks, k):
            return k, k
        return None
    if t.dot and not j.known_name(t.text):
        return None  # an abbreviation ("Fr. Vorm.")
    if not j.surname_ok(t.text, strict=False) or j.role(t.text) or \
            (j.stop(t.text) and not j.known_name(t.text)):
        return None
    if strict and t.text in j.l.nouns and not j.known_name(t.text):
        return None  # "Fr." is also Friday: "Fr. Vormittag"
    # two words no list knows: a given name and a surname ("Frau Jadzia Piątek")
    if not t.dot and k + 1 < len(toks) and _spaced(text, t, toks[k + 1]) and \
            j.surname_ok(toks[k + 1].text, strict=True) and not j.first(t.text) and \
            not _blocked_after(j, text, toks, k + 1):
        return k, k + 1
    return None if _blocked_after(j, text, toks, k) else (k, k)


def _plausible(j: _Judge, text: str, toks: list[_Tok], first: int, last: int) -> bool:
    """The decoy checks for a match led by a first name."""
    f, s = toks[first].text, toks[last].text
    if _blocked_after(j, text, toks, last) or (f, s) in W.BRANDS or s in W.HOLIDAY_WORDS:
        return False
    if f in j.l.ambiguous:
        if re.match(r"\s*\d", text[toks[first].end:]):
            return False  # "Mai 2024"
        return s in j.l.surnames or not (j.noun_like(s) or s in j.l.places)
    return True


def _comma_name(j: _Judge, text: str, toks: list[_Tok], i: int) -> bool:
    """'Wagner, Klaus' or 'Wagner, K.': toks[i] the surname, toks[i+1] the given name."""
    surname, given = toks[i], toks[i + 1]
    gap = text[surname.end:given.start]
    if surname.dot or gap.strip(" \t") != "," or "\n" in gap:
        return False
    w = surname.text
    if w in W.GREETINGS or not j.surname_ok(w, strict=False):
        return False
    known = w in j.l.surnames
    if _initial(given):
        return known or not (j.first(w) or j.noun_like(w) or w in j.l.places)
    if not j.first(given.text) or re.match(r"\s*\d", text[given.end:]):
        return False  # "Lieferung, August 2024"
    if given.text in j.l.ambiguous:
        return known or not (j.noun_like(w) or w in j.l.places)
    # "Glas, Paul und ..." is a list of things; "Scheibe, Dani." alone is a name
    return known or w not in j.l.nouns or re.match(r"[ \t]*(?:$|[.;)\r\n])", text[given.end:]) \
        is not None


def _signatures(j: _Judge, text: str) -> Iterator[tuple[int, int]]:
    """A name right after a closing formula, on the same or the next line."""
    if _CLOSING_HINT.search(text) is None:
        return
    for m in _CLOSING.finditer(text):
        by_order = m.group().lower().startswith("i.")  # "i. A.": a name follows, always
        rest = text[m.end():]
        line = rest.split("\n", 1)[0]
        toks = _tokens(line)
        if not toks or toks[0].start != 0:
            continue
        taken: list[_Tok] = []
        for k, t in enumerate(toks):
            if k and not _spaced(line, toks[k - 1], t):
                break
            w = t.text
            if _initial(t) or (w in W.PARTICLES and taken):
                taken.append(t)
                continue
            if t.dot and not j.known_name(w):
                break  # an abbreviation: "Tel."
            if not j.cap(w) or j.place_word(w):
                break
            doubtful = j.stop(w) or j.noun_like(w) or w in j.l.places
            # after "i. A." a name follows, whatever it looks like
            if doubtful and not (j.known_name(w) or (by_order and not j.stop(w))):
                break
            taken.append(t)
            if len(taken) >= 4:
                break
        while taken and (taken[-1].text in W.PARTICLES or _initial(taken[-1])):
            taken.pop()
        if taken:
            yield m.end() + taken[0].start, m.end() + taken[-1].end


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    return out


def find_names(text: str) -> list[tuple[int, int]]:
    """The (start, end) character spans of the person names in one text."""
    return _find_in(_judge(), text)


def find(positions: list[int], texts: list[str]) -> Iterable[tuple[int, int, int, str]]:
    """The kind's finder: (row, start, end, value) for every name in the cells."""
    j = _judge()
    for row, text in zip(positions, texts, strict=True):
        for start, end in _find_in(j, text):
            yield row, start, end, text[start:end]


@cache
def _triggers() -> tuple[pa.Array, pa.Array]:
    """(words that can start or announce a name, the first names alone)."""
    first = name_lists().first
    words = set(first) | W.ADDRESS | W.ADDRESS_ABBR | W.ACADEMIC | {
        "Grüße", "Grüsse", "Grüßen", "Grüssen", "Gruß", "Gruss", "MfG", "mfg", "Mfg", "LG",
        "Lg", "lg", "VG", "Vg", "vg", "i.A", "i.V", "i", "Regards", "regards"}
    return pa.array(sorted(words), type=pa.string()), pa.array(sorted(first), type=pa.string())


_PARTICLE_SET = pa.array(sorted(W.PARTICLES), type=pa.string())
# Stage 1 (RE2, whole column): two capitalised words in a row (with particles
# between them, or a comma), an initial or title with its full stop, or a
# closing formula. Most sentences have none.
_PAIR = (r"\p{Lu}[\p{L}'’-]*(?:[ \t]+(?:(?:" + "|".join(sorted(W.PARTICLES)) +
         r")[ \t]+)*|,[ \t]*)\p{Lu}"
         r"|(?:\p{Lu}|Dr|Prof|Hr|Fr|Frl|Fam|Mag|Ing|Dipl)\.[ \t]*\p{Lu}"
         r"|(?i:grü(?:ß|ss)|gru(?:ß|ss)|mfg|\blg\b|\bvg\b|\bi\.[ \t]?[av]\.|regards)")


def prefilter(array: pa.Array) -> pa.Array:
    """The cells worth a closer look, with Arrow kernels only: stage 1 (RE2) keeps
    the cells with two capitalised words in a row; stage 2 splits those into
    words and keeps the cells where a first name, title or closing formula
    stands before a capitalised word, or a first name after "Surname,"."""
    n = len(array)
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return pa.array(mask)
    stage1 = pc.indices_nonzero(pc.fill_null(pc.match_substring_regex(array, _PAIR),
                                             False)).to_numpy()
    if stage1.size == 0:
        return pa.array(mask)
    cells = pc.replace_substring(array.take(pa.array(stage1)), "-", " ")
    words = pc.utf8_split_whitespace(cells)
    parents = pc.list_parent_indices(words).to_numpy()
    raw = pc.list_flatten(words)
    flat = pc.utf8_trim(raw, _TRIM)
    triggers, first = _triggers()
    trigger = pc.is_in(flat, value_set=triggers).to_numpy(zero_copy_only=False)
    upper = pc.fill_null(pc.utf8_is_upper(pc.utf8_slice_codeunits(flat, 0, 1)), False)
    upper_np = upper.to_numpy(zero_copy_only=False)
    follows = upper_np | pc.is_in(flat, value_set=_PARTICLE_SET).to_numpy(zero_copy_only=False)
    same = np.zeros(len(parents), dtype=bool)
    same[:-1] = parents[:-1] == parents[1:]
    nxt = np.zeros(len(parents), dtype=bool)
    nxt[:-1] = follows[1:]
    hit = trigger & nxt & same
    comma = pc.ends_with(raw, ",").to_numpy(zero_copy_only=False) & upper_np
    if comma.any():
        first_next = np.zeros(len(parents), dtype=bool)
        first_next[:-1] = pc.is_in(flat, value_set=first).to_numpy(zero_copy_only=False)[1:]
        hit |= comma & first_next & same
    mask[stage1[np.unique(parents[hit])]] = True
    return pa.array(mask)


# --- whole columns --------------------------------------------------------------------


def name_value(text: str) -> int:
    """How sure is it that a short cell is a person's name? 2: sure (the finder
    covers it, or a list knows it: "Wagner", "Öztürk, Elif"), 1: maybe (a lone
    capitalised word that no list knows and that is no common word), 0: not."""
    value = text.strip()
    if not value or len(value) > _VALUE_CHARS:
        return 0
    j = _judge()
    letters = sum(ch.isalpha() for ch in value)
    if letters == 0:
        return 0
    covered = sum(sum(ch.isalpha() for ch in value[s:e]) for s, e in _find_in(j, value))
    if covered >= 0.6 * letters:
        return 2
    toks = _tokens(value)
    if not toks or len(toks) > 3:
        return 0
    names = [t for t in toks if t.text not in W.PARTICLES]
    if not names or not all(j.cap(t.text) and not j.stop(t.text) for t in names):
        return 0
    if sum(len(t.text) for t in toks) < 0.8 * letters:
        return 0
    if len(names) == 1 and not names[0].dot:
        w = names[0].text
        if w in j.l.places and w not in j.l.surnames:
            return 0
        if w in j.l.surnames or (j.first(w) and w not in j.l.ambiguous):
            return 2
        if not j.noun_like(w) and not j.place_word(w):
            return 1
    return 0


@dataclass
class NameShare:
    """How many of a column's values are person names, gathered batch by batch.

    Cells longer than a name are never names; of the rest at most `limit`
    (evenly spaced in each batch) are judged one by one with `name_value`,
    and the share found among them is taken for all the short cells."""

    limit: int = _SAMPLE
    nonempty: int = 0
    short: int = 0
    judged: int = 0
    sure: int = 0
    maybe: int = 0

    def add(self, array: pa.Array) -> None:
        if len(array) == 0:
            return
        text = pc.utf8_trim_whitespace(array)
        length = pc.fill_null(pc.utf8_length(text), 0)
        self.nonempty += int(pc.sum(pc.greater(length, 0)).as_py() or 0)
        short = pc.indices_nonzero(pc.and_(pc.greater(length, 0),
                                           pc.less_equal(length, _VALUE_CHARS))).to_numpy()
        self.short += int(short.size)
        room = min(self.limit - self.judged, short.size)
        if room <= 0:
            return
        pick = short[np.linspace(0, short.size - 1, room).astype(np.int64)]
        scores: dict[str, int] = {}
        for value in text.take(pa.array(pick)).to_pylist():
            score = scores.get(value)
            if score is None:
                score = scores[value] = name_value(value)
            self.sure += score == 2
            self.maybe += score == 1
        self.judged += room

    @property
    def share(self) -> float:
        """The share of the non-empty cells that hold a person's name."""
        if not self.judged or not self.nonempty:
            return 0.0
        counted = self.sure + (self.maybe if self.sure >= _SURE_SHARE * self.judged else 0)
        return counted / self.judged * self.short / self.nonempty

    @property
    def cells(self) -> int:
        """The estimated number of cells that hold a person's name."""
        return round(self.share * self.nonempty)


def name_column_share(array: pa.Array) -> float:
    """The share of a column's non-empty cells that hold a person's name."""
    share = NameShare()
    share.add(array)
    return share.share
