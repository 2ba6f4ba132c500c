"""The words of one text as the person-name rules see them (publisher.detect.names):
their neighbours, the case mode of a name, and the pieces the rules share
(initials, "Surname, Given name", a run of name-like words)."""

from __future__ import annotations

import re

from publisher.detect import name_lists as L
from publisher.detect import name_words as W
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
    tokens,
)

SPACE = re.compile(r"[ \t\u00a0]+")  # between the words of one name: spaces only
TITLES = L.TITLE | L.TITLE_ABBR | L.ACADEMIC
BLOCK = L.PLACE_WORD | L.TRADE | L.FIRM  # a place's or firm's word: it ends a name
DIGIT_NEXT = re.compile(r"\s*\d")
Span = tuple[int, int]  # first and last word of a name

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


class Text:
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
        while p < self.n and toks[p].info & L.PARTICLE and (p == 0 or toks[p].sp):
            if p == k and toks[p].text.lower() in W.ARTICLES:
                break  # "der" only after "von", "van": not "Mitarbeiter der Stadtreinigung"
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


def case_of(t: Tok) -> int:
    """How a word is written: CAP, UPPER or LOWER (an initial: CAP or LOWER)."""
    return t.info & SHAPES


def same_case(mode: int, t: Tok) -> bool:
    """Case that fits a name in this mode: a capitalised name may end in a
    surname in capitals ("Klaus MÜLLER")."""
    m = t.info & SHAPES
    return m == mode or (mode == CAP and m == UPPER)


def name_word(t: Tok, mode: int, need: int) -> bool:
    """Can `t` go on a name in this case mode: level `need` or more, no place's or
    firm's word, and no word written in lower case outside capitalised text."""
    if t.lvl < need or t.info & BLOCK or not same_case(mode, t):
        return False
    return not (t.lvl == 1 and t.info & L.WORD and not t.info & CAP)


def surname_ok(s: Tok, mode: int, *, loose: bool) -> bool:
    """Can `s` be the surname after a given name in this case mode? loose: a
    common noun may be one ("Klaus Koch", "Anna Salz", "heini huhn")."""
    if s.info & (INITIAL | BLOCK) or s.lvl < 0:
        return False
    m = s.info & SHAPES
    if mode == CAP and m == UPPER:
        # "Klaus MÜLLER", but not "Emilie VERDRECKT" in a sentence in capitals
        return s.lvl >= 2 or (s.lvl == 1 and bool(s.info & L.SURNAME) and
                              not s.info & L.WORD)
    if m != mode:
        return False
    if s.lvl >= 2 or (s.lvl == 1 and (mode == CAP or not s.info & L.WORD)):
        return True  # not "hausmeister çetin weiß bescheid"
    if not loose or s.info & L.STOP:
        return False
    return mode == CAP or (bool(s.info & (L.NOUN | NOUNISH)) and not s.info & L.WORD)


def loose_surname(s: Tok) -> bool:
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


def initialled(tx: Text, k: int, *, need: int) -> Span | None:
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
        if q < tx.n and tx.spaced(q - 1, q) and surname_ok(toks[q], case_of(s), loose=s.lvl == 3):
            return k, q
    if need == 0:
        return (k, p) if loose_surname(s) else None
    return (k, p) if name_word(s, case_of(s), need) else None


def comma_name(tx: Text, i: int, *, anchored: bool) -> Span | None:
    """'Wagner, Klaus' or 'Wagner, K.': word i the surname, the next the given name.
    anchored: a label or a word such as "durch" stands before it ("Melder:
    Kummer, Siena"), so the surname may be any word but a function word."""
    toks = tx.toks
    if i + 1 >= tx.n:
        return None
    s, g = toks[i], toks[i + 1]
    gap = tx.text[s.end:g.start]
    if s.dot or gap.strip(" \t") != "," or (s.info & BLOCK and not (
            anchored and _place_surname(tx, s, g))):
        return None
    if not (s.lvl >= 1 or (anchored and (loose_surname(s) or
                                         (s.lvl == 0 and not s.info & L.STOP) or
                                         (s.lvl == 0 and s.info & CAP and g.info & L.FIRST and
                                          g.lvl == 3)))):
        return None  # anchored, a word is a surname before a clear given name: "Gute, Veli"
    mode = case_of(s)
    if g.info & INITIAL:
        if not g.dot or not (g.info & CAP or (anchored and g.info & LOWER)):
            return None
        return (i, i + 1) if s.lvl >= 2 or s.info & L.SURNAME or anchored else None
    if case_of(g) != mode or g.info & BLOCK or DIGIT_NEXT.match(tx.text, g.end):
        return None  # "TEAM, Ernst gemeint", "Lieferung, August 2024"
    if anchored:
        return (i, i + 1) if name_word(g, mode, 1) and not (g.lvl == 1 and g.info & L.WORD) \
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


def _place_surname(tx: Text, s: Tok, g: Tok) -> bool:
    """After a label, a word for places as the surname before a clear given name that
    ends the clause ("Melder: Ring, Inge."): not a firm's or trade's word."""
    return bool(s.info & CAP and not s.info & (L.TRADE | L.FIRM) and g.info & CAP and
                g.info & L.FIRST and g.lvl == 3 and _CLAUSE_END.match(tx.text, g.end))


def name_run(tx: Text, i: int) -> Span | None:
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
        if toks[k - 1].dot and toks[k].lvl == 0 and loose_surname(toks[k]):
            return i, k  # "E. Knappe"
    elif toks[k].info & L.PARTICLE:
        k = tx.particles(k)  # "Hausmeister van Klaarwater"
        if k == i or k >= tx.n or not tx.spaced(k - 1, k):
            return None
    if k >= tx.n:
        return None
    mode = case_of(toks[k])
    if not name_word(toks[k], mode, 1):
        return None
    last = k
    words = 1
    while words < 3:
        p = tx.particles(last + 1)
        if p >= tx.n or not tx.spaced(p - 1, p) or toks[last].dot or \
                case_of(toks[p]) != mode or not name_word(toks[p], mode, 1):
            break  # "hausmeister çetin weiß bescheid"
        last = p
        words += 1
    return i, last


def run_is_name(tx: Text, i: int, last: int, *, need: int) -> bool:
    """A run is a name: one of its words has level `need` or more, or two are
    names, or an initial leads it."""
    names = [t for t in tx.toks[i:last + 1] if t.lvl >= 1]
    if tx.toks[i].info & INITIAL:
        return True
    if not names:
        return False
    return any(t.lvl >= need for t in names) or (len(names) >= 2 and need <= 2)
