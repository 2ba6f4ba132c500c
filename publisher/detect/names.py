"""Person names in free text (RULES.md section 1, last row).

No model: a lexicon (publisher.detect.name_lists) says what each word can be,
whatever case it is written in (publisher.detect.name_tokens), and the words
around a name decide. What counts as a name:

- a known first name and a surname: "Klaus Wagner", "Hans-Peter Müller-
  Lüdenscheidt", "Anna von der Heide", "gemeldet von klaus wagner";
- two or more capitalised words no list knows as common words, as foreign
  names are written: "Neşrin Çamurcuoğlu", "Taanish Aariz";
- a name after an address form or title (Herr, Frau, Familie, Dr., Prof., Hr.,
  Fr.), also with initials: "Herr K. Wagner", "FRAU DR. HAASE";
- a name after a role or relation ("Hausmeister Stancu", "mein Mann Sahir",
  "Sachbearbeiterin Anna Weber"), a label ("Name: Bilgin, Ezgin",
  "Kontaktperson: Elif Öztürk") or a word that introduces a person ("laut
  Jaromír Novák", "Rückmeldung bitte an R. Siller");
- a name before what a person is ("K. Wagner (Anwohner)", "Elif Öztürk, geb.
  1.2.1980");
- an initial and a surname ("K. Wagner", "É. Gimenez");
- a name after a closing formula ("Viele Grüße", "MfG", "LG", "Danke", "i. A."),
  on the same or the next line;
- "Nachname, Vorname" ("Wagner, Klaus", "Wagner, K.").

In text written all in lower or upper case the capitals say nothing, so there a
known name or one of the words around it must carry the decision.

What does not (a careful reader's call, each a decoy family in the tests):
streets, schools, bridges, stops and institutions named after people
("Albert-Schweitzer-Schule", "Willy Brandt Platz", "Haltestelle Karl Marx"),
shop and firm names ("Bäckerei Müller", "Yılmaz Getränke", "Klaus Meier
GmbH"), saints and holidays ("Sankt Martin", "Mariä Himmelfahrt"), brands
("Mercedes Benz"), common nouns that are surnames ("der Koch"), and first names
that are words or dates ("im August Bauarbeiten", "Mai 2024", "Rose"), and a
word in capitals after a name in a sentence written in capitals ("SEIT August
KAPUTT"). The value reported is the name alone, without the title: "Herr
Becker" gives "Becker".

Speed: `prefilter` (publisher.detect.name_prefilter) keeps the cells where a
name-like word stands next to another or after a word that announces one,
with Arrow kernels; only those reach `find`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from publisher.detect import name_lists as L
from publisher.detect import name_words as W
from publisher.detect.name_columns import (
    DEFAULT_COLUMN_SHARE,
    NameShare,
    name_column_share,
    name_value,
)
from publisher.detect.name_prefilter import prefilter
from publisher.detect.name_tokens import (
    CAP,
    INITIAL,
    KNOWN,
    LOWER,
    NOUNISH,
    SHAPES,
    UPPER,
    Judge,
    Tok,
    judge,
    tokens,
)

__all__ = ["DEFAULT_COLUMN_SHARE", "NameShare", "find", "find_names", "name_column_share",
           "name_value",
           "prefilter"]

_SPACE = re.compile(r"[ \t\u00a0]+")  # between the words of one name: spaces only
_CLOSING = re.compile(
    r"(?<![\w])(?P<f>(?:viele|liebe|beste|herzliche|freundliche|schöne|sonnige|nette)\s+"
    r"grü(?:ß|ss)e|mit\s+freundlichen\s+grü(?:ß|ss)en|mit\s+freundlichem\s+gru(?:ß|ss)"
    r"|(?:viele|liebe|beste|herzliche|freundliche)[rn]?\s+gru(?:ß|ss)|gru(?:ß|ss)|grü(?:ß|ss)e"
    r"|mfg|lg|vg|i\.\s?a\.|i\.\s?v\.|gez\.|(?:best|kind)\s+regards|regards"
    r"|(?:vielen\s+)?dank(?:e|e\s+schön|eschön)?|hochachtungsvoll)(?![\w])"
    r"[ \t]*(?P<p>[,.!:;\-–]?)[ \t]*\r?\n?[ \t\r\n]*(?:(?:ihr|ihre|dein|deine|euer|eure)\s+)?",
    re.IGNORECASE)
# What a person is, right after the name: "(Anwohner)", ", geb. ...", ", *12.3.1980",
# or where the person lives: ", Hauptstr. 5".
_AFTER = re.compile(
    r"[ \t]*(?:\([ \t]*(?:anwohner|nachbar|mieter|melder|eigentümer|bewohner|hausmeister)"
    r"(?:in)?[ \t]*\)|,?[ \t]*\(?[ \t]*(?:geb\.|geb\b|geboren\b|jg\.|jahrgang\b|\*)"
    r"|,[ \t]*(?:\S+[ \t]){0,2}\S*(?:straße|strasse|str\.|gasse|weg|platz|allee|ring|damm)"
    r"[ \t]*\d)", re.IGNORECASE)
# The rest of a signature's line: nothing, punctuation or how to reach the person.
_LINE_END = re.compile(r"[ \t]*(?:$|[\r\n,;.!?()<>|/–-]|\S+@|(?:tel|fon|handy|mobil|e-?mail|"
                       r"mail)\b)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[ \t]*(?:$|[.;,)\r\n])")
_DIGIT_NEXT = re.compile(r"\s*\d")
_STRONG_ANCHOR = L.ROLE | L.LABEL
_TITLES = L.TITLE | L.TITLE_ABBR | L.ACADEMIC
_BLOCK = L.PLACE_WORD | L.TRADE | L.FIRM  # a place's or firm's word: it ends a name
Span = tuple[int, int]  # first and last word of a name


def find_names(text: str) -> list[tuple[int, int]]:
    """The (start, end) character spans of the person names in one text."""
    return _find_in(judge(), text)


def find(positions: list[int], texts: list[str]) -> Iterable[tuple[int, int, int, str]]:
    """The kind's finder: (row, start, end, value) for every name in the cells."""
    j = judge()
    for row, text in zip(positions, texts, strict=True):
        for start, end in _find_in(j, text):
            yield row, start, end, text[start:end]


class _Text:
    """One text and its words, with the tests that look at their neighbours."""

    __slots__ = ("n", "text", "toks", "union")

    def __init__(self, j: Judge, text: str) -> None:
        self.text = text
        self.toks, self.union = tokens(j, text)
        self.n = len(self.toks)

    def spaced(self, a: int, b: int) -> bool:
        """Only spaces between word a and the next, b (none after an initial's or
        title's full stop: "K. Wagner", "Hr.Heintze")."""
        return b < self.n and self.toks[b].sp

    def end(self, k: int) -> int:
        """Where a name ending in word k ends: after the full stop of an initial."""
        t = self.toks[k]
        return t.end + 1 if t.dot and t.info & INITIAL else t.end

    def blocked_before(self, i: int) -> bool:
        """A word before the name (or before the capitalised words leading to it)
        makes it a stop, a shop, a place or a saint: "Haltestelle Johann Wolfgang
        Goethe", "Bäckerei Klaus Müller", "Richtung Maria Enzersdorf", "St. Martin"."""
        k = i
        for _ in range(3):
            if k == 0:
                return False
            prev = self.toks[k - 1]
            if not self.toks[k].sp:
                return False
            if prev.info & (L.NOT_BEFORE | L.TRADE):
                return True
            if prev.text.lower() == "bei" and k >= 2 and self.toks[k - 2].info & L.TRADE:
                return True  # "Metzgerei bei Anna"
            if not prev.info & (CAP | UPPER) or prev.lvl < 0:
                return False
            k -= 1
        return False

    def blocked_after(self, k: int) -> bool:
        """The words after a name make it a place, firm or holiday ("Willy Brandt
        Platz", "Johann Sebastian Bach Halle", "Klaus Meier GmbH", "Yılmaz Getränke",
        "Christi Himmelfahrt")."""
        toks = self.toks
        for _ in range(4):
            if k + 1 >= self.n:
                return False
            gap = self.text[toks[k].end:toks[k + 1].start]
            if toks[k].dot and toks[k].info & INITIAL:
                gap = gap[1:]
            if "\n" in gap or gap.strip(" \t") not in ("", "&", "+", "-", "'s", "’s"):
                return False  # "Janna Weitzel. Haus von 2018" is no "Weitzel-Haus"
            nxt = toks[k + 1]
            if nxt.info & (L.TRADE | L.FIRM | L.HOLIDAY) or nxt.text.lower() in W.PLACE_WORDS:
                return True
            if not (nxt.info & L.PARTICLE and nxt.info & LOWER) and \
                    (nxt.lvl < 0 or nxt.info & L.STOP or
                     not nxt.info & (toks[k].info & SHAPES | CAP | UPPER)):
                return False
            k += 1
        return False

    def particles(self, k: int) -> int:
        """The first word after the name particles from k on ("von der Heide",
        "Le Gall", "VAN ESTE")."""
        toks = self.toks
        p = k
        while p < self.n and toks[p].info & L.PARTICLE and (p == k or self.spaced(p - 1, p)):
            if not toks[p].info & LOWER:
                nxt = p + 1
                if toks[p].text.lower() not in W.CAPITAL_PARTICLES or nxt >= self.n or \
                        not self.spaced(p, nxt) or not toks[nxt].info & (CAP | UPPER) or \
                        toks[nxt].lvl < 0 or toks[nxt].info & L.STOP:
                    break
            p += 1
        return p

    def after_anchor(self, k: int) -> bool:
        """What a person is follows the name ending in word k."""
        return _AFTER.match(self.text, self.end(k)) is not None

    def line_ends(self, k: int) -> bool:
        """Only punctuation or contact details follow word k on its line."""
        return _LINE_END.match(self.text, self.end(k)) is not None


def _mode(t: Tok) -> int:
    return t.info & SHAPES


def _same_mode(mode: int, t: Tok) -> bool:
    """Case that fits a name in this mode: a capitalised name may end in a
    surname in capitals ("Klaus MÜLLER")."""
    m = t.info & SHAPES
    return m == mode or (mode == CAP and m == UPPER)


def _nameword(t: Tok, mode: int, need: int) -> bool:
    """Can `t` go on a name in this case mode: level `need` or more, no place's or
    firm's word, and no word written in lower case outside capitalised text."""
    if t.lvl < need or t.info & _BLOCK or not _same_mode(mode, t):
        return False
    return not (t.lvl == 1 and t.info & L.WORD and not t.info & CAP)


def _surname(s: Tok, mode: int, *, loose: bool) -> bool:
    """Can `s` be the surname after a given name in this case mode? loose: a
    common noun may be one ("Klaus Koch", "Anna Salz", "heini huhn")."""
    if s.info & (INITIAL | _BLOCK) or s.lvl < 0:
        return False
    m = s.info & SHAPES
    if mode == CAP and m == UPPER:
        # "Klaus MÜLLER", but not "Emilie VERDRECKT" in a sentence in capitals
        return s.lvl >= 2 or (s.lvl == 1 and bool(s.info & L.SURNAME) and
                              not s.info & L.WORD)
    if m != mode:
        return False
    if s.lvl >= 2 or (s.lvl == 1 and (mode == CAP or not s.info & L.WORD or
                                      s.info & L.SURNAME)):
        return True
    if not loose or s.info & L.STOP:
        return False
    return mode == CAP or (bool(s.info & (L.NOUN | NOUNISH)) and not s.info & L.WORD)


def _loose(s: Tok) -> bool:
    """A surname where the words around say a name stands: any capitalised word
    but a function word, or in lower case a known name or a noun."""
    if s.info & (INITIAL | L.TRADE | L.FIRM) or (s.info & L.STOP and not s.info & KNOWN):
        return False
    if s.info & (CAP | UPPER):
        return s.lvl >= 0 or bool(s.info & (L.ROLE | L.PLACE_WORD))  # "S Bruder", "M. Ring"
    if s.lvl < 0 or s.info & L.PLACE_WORD:
        return False
    return s.lvl >= 1 or bool(s.info & (L.FIRST | L.SURNAME)) or \
        (bool(s.info & (L.NOUN | NOUNISH)) and not s.info & L.WORD)


def _find_in(j: Judge, text: str) -> list[tuple[int, int]]:
    tx = _Text(j, text)
    toks, n = tx.toks, tx.n
    spans: list[tuple[int, int]] = []
    i = 0
    while i < n:
        t = toks[i]
        found: Span | None = None
        if t.info & _TITLES and _title(t):
            found = _after_title(tx, i)
        if found is None and t.lvl >= 1:
            found = _name_at(tx, i)
        if found is None and t.info & INITIAL:
            found = _initial_at(tx, i)
        if found is None and t.info & (_STRONG_ANCHOR | L.INTRO):
            found = _after_anchor(tx, i)
        if found is not None:
            spans.append((toks[found[0]].start, tx.end(found[1])))
            i = found[1] + 1
            continue
        i += 1
    spans.extend(_signatures(tx))
    return _merge(spans)


def _title(t: Tok) -> bool:
    info = t.info
    if info & L.ACADEMIC:
        return t.dot or bool(info & L.ACADEMIC_NO_DOT)
    return bool(info & L.TITLE) or (bool(info & L.TITLE_ABBR) and t.dot)


def _after_title(tx: _Text, i: int) -> Span | None:
    """The name after an address form or title: "Herr Becker", "Frau Dr. Anna
    Weber", "Frau Bürgermeisterin Schulz", "herr durmuş", "Hr.Heintze"."""
    toks = tx.toks
    if tx.blocked_before(i):
        return None  # "Praxis Dr. Müller"
    strict = bool(toks[i].info & L.TITLE_ABBR) and toks[i].text.lower() == "fr"
    family = toks[i].text.lower() in W.FAMILY  # "Familie Bischof": no office
    k = i + 1
    while k < tx.n and tx.spaced(k - 1, k) and (
            (toks[k].info & L.ACADEMIC and _title(toks[k])) or
            (toks[k].info & L.ROLE and not toks[k].info & L.RELATION and toks[k].lvl < 1 and
             not family)):
        k += 1
    if k >= tx.n or not tx.spaced(k - 1, k):
        return None
    found = _titled(tx, k, strict=strict)
    if found is None or tx.blocked_after(found[1]):
        return None
    return found


def _titled(tx: _Text, k: int, *, strict: bool) -> Span | None:
    toks = tx.toks
    t = toks[k]
    if t.info & L.PARTICLE and t.info & LOWER:
        p = tx.particles(k)
        if p < tx.n and tx.spaced(p - 1, p) and _loose(toks[p]):
            return k, p
        return None
    if t.info & INITIAL:
        return _initials(tx, k, need=0)
    mode = _mode(t)
    if t.info & (L.ROLE | L.PLACE_WORD) and not t.info & (L.TRADE | L.FIRM):
        ok = mode != LOWER  # "Herr Bruder", "Familie Bischof", "Frau Saal"
    elif mode == CAP:
        # after a title even a function word is a name ("Herr Anders"), if not short
        ok = t.lvl >= 1 or (t.lvl == 0 and not t.info & L.STOP and
                            not (strict and (t.info & L.CALENDAR or
                                             t.text.lower() in W.TIMES_OF_DAY)))
    else:
        ok = _nameword(t, mode, 1) or (t.lvl == 0 and bool(t.info & (L.FIRST | L.SURNAME))) \
            or (t.lvl >= 0 and _loose(t))
    if not ok or (t.dot and t.lvl < 1):
        return None  # "Frau mit Kind", an abbreviation ("Fr. Vorm.")
    # a given name and a surname ("Frau Anna Schmidt", "Frau Jadzia Piątek")
    p = tx.particles(k + 1)
    if p < tx.n and not t.dot and tx.spaced(p - 1, p):
        s = toks[p]
        if (t.info & L.FIRST and t.lvl >= 1 and _surname(s, mode, loose=t.lvl == 3)) or \
                (t.lvl >= 2 and _nameword(s, mode, 2)):
            return k, p
    return k, k


def _initials(tx: _Text, k: int, *, need: int) -> Span | None:
    """Initials from word k, particles, then a surname of level `need` or more
    (0: any word but a function word, where the words around say a name stands):
    "K. Wagner", "H. J. Meyer", "b. şener"."""
    toks = tx.toks
    p = k
    while p < tx.n and toks[p].info & INITIAL and (p == k or tx.spaced(p - 1, p)):
        p += 1
    p = tx.particles(p)
    if p >= tx.n or p == k or not tx.spaced(p - 1, p):
        return None
    s = toks[p]
    if toks[k].info & LOWER and not s.info & LOWER:
        return None
    if s.info & L.FIRST and s.lvl >= 1:
        q = tx.particles(p + 1)  # "E. Laura Salopek"
        if q < tx.n and tx.spaced(q - 1, q) and _surname(toks[q], _mode(s), loose=s.lvl == 3):
            return k, q
    if need == 0:
        return (k, p) if _loose(s) else None
    return (k, p) if _nameword(s, _mode(s), need) else None


def _name_at(tx: _Text, i: int) -> Span | None:
    """A name that starts with word i (level 1 or more)."""
    t = tx.toks[i]
    if t.dot or t.info & (L.TRADE | L.FIRM) or (t.info & L.PLACE_WORD and not t.info & L.FIRST) \
            or tx.blocked_before(i):
        return None  # ("Kai Kraft" is a name)
    found = None
    if t.info & L.FIRST:
        found = _from_first(tx, i)
    if found is None and t.lvl >= 2:
        found = _pair(tx, i)
    if found is None:
        found = _comma(tx, i, anchored=False)
    if found is None:
        run = _run(tx, i)
        if run is not None and tx.after_anchor(run[1]) and _run_ok(tx, *run, need=2) and \
                (run[1] > run[0] or t.info & (CAP | UPPER)) and not tx.blocked_after(run[1]):
            found = run  # "Özçam Bilge, geb. 1.2.1980", "Stoica (Anwohner)"
    return found


def _from_first(tx: _Text, i: int) -> Span | None:
    """A known first name, more given names or initials, particles, a surname."""
    toks = tx.toks
    t = toks[i]
    mode = _mode(t)
    if mode != CAP and t.lvl < 3:
        return None
    # a first name that is also a word ("Rose", "Mai"; a place such as "Arno" is not)
    ambiguous = t.lvl == 1 and bool(t.info & (L.NOUN | L.WORD | L.CALENDAR | L.STOP))
    given = [i]
    k = i + 1
    while k < tx.n and tx.spaced(k - 1, k) and (
            (toks[k].info & L.FIRST and toks[k].lvl >= 1 and _mode(toks[k]) == mode and
             not toks[k].info & _BLOCK) or
            (toks[k].info & INITIAL and toks[k].dot and mode == CAP)):
        given.append(k)
        k += 1
        if toks[k - 1].dot and not toks[k - 1].info & INITIAL:
            break  # the end of a sentence
    p = tx.particles(k)
    found: Span | None = None
    if p < tx.n and tx.spaced(p - 1, p):
        s = toks[p]
        if ambiguous:
            ok = _nameword(s, mode, 2) or (s.lvl == 1 and bool(s.info & L.SURNAME) and
                                           _nameword(s, mode, 1) and not s.info & L.WORD)
        else:
            ok = _surname(s, mode, loose=True)
        if ok:
            found = (i, p)
    if found is None and len(given) >= 2 and not toks[given[-1]].info & INITIAL and \
            any(toks[g].lvl == 3 or toks[g].info & L.SURNAME for g in given):
        found = (i, given[-1])  # "Klaus Peter hat angerufen", not "Bitte Foto"
    if found is None or tx.blocked_after(found[1]):
        return None
    if (t.text, toks[found[1]].text) in W.BRANDS:
        return None
    if ambiguous and _DIGIT_NEXT.match(tx.text, t.end):
        return None  # "Mai 2024"
    return found


def _pair(tx: _Text, i: int) -> Span | None:
    """Two or more words no list knows as common words, in capitals or as written:
    "Neşrin Çamurcuoğlu"; in lower or upper case one of them must be a known name."""
    toks = tx.toks
    mode = _mode(toks[i])
    k = i + 1
    while k < tx.n and k - i < 4 and tx.spaced(k - 1, k) and _mode(toks[k]) == mode and (
            _nameword(toks[k], mode, 2) or
            (mode == CAP and toks[k].lvl == 1 and toks[k].info & (L.FIRST | L.SURNAME) and
             not toks[k].info & (L.WORD | _BLOCK))):
        k += 1
    if k - i < 2:
        return None
    last = k - 1
    if mode != CAP and not any(toks[x].lvl == 3 for x in range(i, k)):
        return None
    if tx.blocked_after(last) or (toks[i].text, toks[last].text) in W.BRANDS:
        return None
    return i, last


def _comma(tx: _Text, i: int, *, anchored: bool) -> Span | None:
    """'Wagner, Klaus' or 'Wagner, K.': word i the surname, the next the given name.
    anchored: a label or a word such as "durch" stands before it ("Melder:
    Kummer, Siena"), so the surname may be any word but a function word."""
    toks = tx.toks
    if i + 1 >= tx.n:
        return None
    s, g = toks[i], toks[i + 1]
    gap = tx.text[s.end:g.start]
    if s.dot or gap.strip(" \t") != "," or s.info & _BLOCK:
        return None
    if not (s.lvl >= 1 or (anchored and (_loose(s) or (s.lvl == 0 and not s.info & L.STOP)))):
        return None
    mode = _mode(s)
    if g.info & INITIAL:
        if not g.dot or not (g.info & CAP or (anchored and g.info & LOWER)):
            return None
        return (i, i + 1) if s.lvl >= 2 or s.info & L.SURNAME or anchored else None
    if _mode(g) != mode or g.info & _BLOCK or _DIGIT_NEXT.match(tx.text, g.end):
        return None  # "TEAM, Ernst gemeint", "Lieferung, August 2024"
    if anchored:
        return (i, i + 1) if _nameword(g, mode, 1) and not (g.lvl == 1 and g.info & L.WORD) \
            else None
    if not g.info & L.FIRST or (s.info & L.WORD and s.lvl < 3):
        return None  # "Sturm, Bitte ..."
    ends = _CLAUSE_END.match(tx.text, g.end) is not None
    if g.lvl == 3 and (s.lvl >= 2 or s.info & L.SURNAME) and (mode == CAP or s.lvl == 3):
        # a given name that is also a word only where the name ends a clause
        return (i, i + 1) if ends or not g.info & (L.WORD | L.NOUN) else None
    if mode == CAP and g.lvl == 1 and s.info & L.SURNAME and ends:
        return i, i + 1  # "Scheibe, Dani."
    return None


def _run(tx: _Text, i: int) -> Span | None:
    """The run of name-like words from word i: initials (then any capitalised
    word), particles, and up to three words of level 1 or more, in one case mode."""
    toks = tx.toks
    k = i
    while k < tx.n and toks[k].info & INITIAL and (k == i or tx.spaced(k - 1, k)):
        k += 1
    if k > i:
        k = tx.particles(k)
        if k >= tx.n or not tx.spaced(k - 1, k):
            return None
        if toks[i].info & LOWER and not toks[k].info & LOWER:
            return None
        if toks[k - 1].dot and toks[k].lvl == 0 and _loose(toks[k]):
            return i, k  # "E. Knappe"
    elif toks[k].info & L.PARTICLE:
        k = tx.particles(k)  # "Hausmeister van Klaarwater"
        if k == i or k >= tx.n or not tx.spaced(k - 1, k):
            return None
    if k >= tx.n:
        return None
    mode = _mode(toks[k])
    if not _nameword(toks[k], mode, 1):
        return None
    last = k
    words = 1
    while words < 3:
        p = tx.particles(last + 1)
        if p >= tx.n or not tx.spaced(p - 1, p) or toks[last].dot or \
                _mode(toks[p]) != mode or not _nameword(toks[p], mode, 1):
            break  # "hausmeister çetin weiß bescheid"
        last = p
        words += 1
    return i, last


def _run_ok(tx: _Text, i: int, last: int, *, need: int) -> bool:
    """A run is a name: one of its words has level `need` or more, or two are
    names, or an initial leads it."""
    names = [t for t in tx.toks[i:last + 1] if t.lvl >= 1]
    if tx.toks[i].info & INITIAL:
        return True
    if not names:
        return False
    return any(t.lvl >= need for t in names) or (len(names) >= 2 and need <= 2)


def _after_anchor(tx: _Text, i: int) -> Span | None:
    """The name after a role, label or a word that introduces a person: "Hausmeister
    Stancu", "mein Mann Sahir", "Name: Bilgin, Ezgin", "laut Taahaa Maheen",
    "Rückmeldung bitte an R. Siller", "Ich, Taanish Aariz, wohne ..."."""
    toks = tx.toks
    a = toks[i]
    k = i + 1
    if k >= tx.n:
        return None
    gap = tx.text[a.end:toks[k].start]
    sign = gap.strip(" \t")
    if ("\n" in gap and sign != ":") or not (sign in (":", ",", "-", "–") or _SPACE.fullmatch(gap)):
        return None
    if toks[k].info & _TITLES:
        return None  # "laut Frau Wagner": the title's rule
    strong = bool(a.info & _STRONG_ANCHOR) or sign == ":"
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and tx.spaced(i - 1, i) and prev.info & (CAP | UPPER) and \
            prev.lvl >= 1 and ((a.info & L.PARTICLE and a.info & LOWER) or a.lvl >= 1):
        return None  # "Alexander von Humboldt", "Klaus Richter": inside a name
    if not strong and tx.blocked_before(i):
        return None  # "Metzgerei bei Anna"
    p = tx.particles(k)
    found = _comma(tx, p, anchored=True) if p < tx.n else None
    if found is not None and (strong or toks[p].lvl >= 1 or (
            toks[found[1]].info & L.FIRST and not toks[found[1]].info & (L.WORD | L.NOUN))):
        return k, found[1]  # "Melder: Kummer, Siena", "durch Kranz, Walther"
    run = _run(tx, k)
    if run is None:
        t = toks[k]
        if a.info & L.ROLE and t.info & CAP and t.lvl == 0 and _loose(t) and \
                not tx.blocked_after(k):
            return k, k  # "Hausmeister Kranz", "Hausmeister Lange"
        return None
    if tx.blocked_after(run[1]) or (toks[run[0]].text, toks[run[1]].text) in W.BRANDS:
        return None  # "Werbung von Calvin Klein"
    first, last = run
    t = toks[first]
    if first == last and t.info & L.FIRST and t.lvl >= 1:
        p = tx.particles(first + 1)
        if p < tx.n and tx.spaced(p - 1, p) and _surname(toks[p], _mode(t), loose=True) and \
                not tx.blocked_after(p):
            return first, p  # "von Siena Kummer", "laut Horațiu Pop"
    names = [t for t in toks[first:last + 1] if t.lvl >= 1]
    if strong:
        # one name is enough; a word only capitalised ("Nachbar Bitte") is not
        single_word = len(names) == 1 and names[0].lvl == 1 and names[0].info & L.WORD
        return run if _run_ok(tx, *run, need=1) and not single_word else None
    if len(names) >= 2 or toks[first].info & INITIAL:
        return run if _run_ok(tx, *run, need=2) else None
    return run if names and names[0].lvl == 3 else None


def _initial_at(tx: _Text, i: int) -> Span | None:
    """An initial and a surname: "K. Wagner", "A Sperl", "Ə. Vilayətoğlu"."""
    toks = tx.toks
    t = toks[i]
    if tx.text[:t.start].rstrip(" \t")[-1:].isdigit():
        return None  # "QZ-487 V. Falschparker", "WN 7706 E.": no initial
    if i > 0 and toks[i - 1].info & INITIAL and toks[i - 1].info & LOWER and toks[i - 1].dot \
            and tx.spaced(i - 1, i):
        return None  # "i. A.", "z. B.": abbreviations
    if not t.info & CAP:
        run = _run(tx, i)  # "b. şener (anwohner)": only with what follows
        if run is not None and tx.after_anchor(run[1]):
            return run
        return None
    if i > 0 and tx.spaced(i - 1, i) and toks[i - 1].info & (L.NOT_BEFORE | L.NOUN | NOUNISH) \
            and not toks[i - 1].info & (L.FIRST | L.ROLE):
        return None  # "Gleis B", "Plan B"
    found = _initials(tx, i, need=1 if t.dot else 2)
    if found is None:
        found = _initials(tx, i, need=0)  # "A. Stockhammer (Anwohner)", "S Bruder (Anwohner)"
        if found is not None and not tx.after_anchor(found[1]):
            found = None
    if found is None or not toks[found[1]].info & (CAP | UPPER) or \
            tx.blocked_after(found[1]):
        return None
    return found


def _signatures(tx: _Text) -> Iterator[tuple[int, int]]:
    """A name right after a closing formula, on the same or the next line."""
    if not tx.union & L.CLOSING:
        return
    toks = tx.toks
    text = tx.text
    for m in _CLOSING.finditer(text):
        formula = m.group("f").lower()
        thanks = "dank" in formula
        if thanks and m.group("p") not in ("", ","):
            continue  # "Danke! Die Laterne ...": a new sentence
        k = next((x for x in range(tx.n) if toks[x].start >= m.end()), None)
        if k is None or text[m.end():toks[k].start].strip(" \t"):
            continue
        found = _signed(tx, k, by_order=formula.startswith("i."), thanks=thanks)
        if found is not None:
            yield toks[found[0]].start, tx.end(found[1])


def _signed(tx: _Text, k: int, *, by_order: bool, thanks: bool) -> Span | None:
    toks = tx.toks
    t = toks[k]
    if t.info & _TITLES and _title(t):
        return _after_title(tx, k)
    if by_order and t.info & CAP and t.lvl == 0 and _loose(t):
        return k, k  # "i. A. Müller": a name follows, whatever it looks like
    found: Span | None = None
    if t.info & INITIAL:
        found = _initials(tx, k, need=0)  # "MfG J. Speer", "Beste Grüße\nH Hecker"
    elif t.info & L.FIRST and t.lvl >= 1:
        p = tx.particles(k + 1)
        if p < tx.n and tx.spaced(p - 1, p) and _surname(toks[p], _mode(t), loose=True):
            found = (k, p)  # "MfG\nMerlin Hafner"
    elif t.info & CAP and t.lvl == 0 and _loose(t) and k + 1 < tx.n and tx.spaced(k, k + 1) and \
            _nameword(toks[k + 1], CAP, 2):
        found = (k, k + 1)  # "Gruß Iwo Chalimoniuk"
    if found is not None:
        return found if tx.line_ends(found[1]) else None
    run = _run(tx, k)
    if run is None:
        return None
    first, last = run
    while last > first and toks[last].info & (INITIAL | L.PARTICLE):
        last -= 1
    words = toks[first:last + 1]
    if toks[last].info & INITIAL or not any(w.info & (L.FIRST | L.SURNAME) or w.lvl >= 2
                                            for w in words):
        return None  # a rare noun alone ("Danke!\nZeitstempel ...") is no signature
    if (thanks or not any(w.lvl >= 2 for w in words)) and not tx.line_ends(last):
        return None  # "Danke, Bitte um Info"
    return first, last


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    return out
