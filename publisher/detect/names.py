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

The rooms: name_lists (the lexicon), name_words (the hand-written words),
name_tokens (each word judged once, whatever its case), name_text (a text's
words and their neighbours, and the pieces the rules below share),
name_prefilter (which cells can hold a name, with Arrow kernels: only those
reach `find`), name_columns (columns of names).
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
from publisher.detect.name_text import (
    BLOCK,
    DIGIT_NEXT,
    SPACE,
    TITLES,
    Span,
    Text,
    case_of,
    comma_name,
    initialled,
    loose_surname,
    name_run,
    name_word,
    run_is_name,
    surname_ok,
)
from publisher.detect.name_tokens import (
    CAP,
    HARD,
    INITIAL,
    LOWER,
    NOUNISH,
    UPPER,
    Judge,
    Tok,
    judge,
)

__all__ = ["DEFAULT_COLUMN_SHARE", "NameShare", "find", "find_names", "name_column_share",
           "name_value", "prefilter"]

_CLOSING = re.compile(
    r"(?<![\w])(?P<f>(?:viele|liebe|beste|herzliche|freundliche|schöne|sonnige|nette)\s+"
    r"grü(?:ß|ss)e|mit\s+freundlichen\s+grü(?:ß|ss)en|mit\s+freundlichem\s+gru(?:ß|ss)"
    r"|(?:viele|liebe|beste|herzliche|freundliche)[rn]?\s+gru(?:ß|ss)|gru(?:ß|ss)|grü(?:ß|ss)e"
    r"|mfg|lg|vg|i\.\s?a\.|i\.\s?v\.|gez\.|(?:best|kind)\s+regards|regards"
    r"|(?:vielen\s+)?dank(?:e|e\s+schön|eschön)?|hochachtungsvoll)(?![\w])"
    r"[ \t]*(?P<p>[,.!:;\-–]?)[ \t]*\r?\n?[ \t\r\n]*(?:(?:ihr|ihre|dein|deine|euer|eure)\s+)?",
    re.IGNORECASE)
_STRONG_ANCHOR = L.ROLE | L.LABEL
_FULL_TITLES = frozenset(("Herr", "Herrn", "Frau", "Dr", "Prof"))  # not "MR", "Fr."
_POSSESSIVE = re.compile(r"(?<!\w)(?:mein|meine|meinem|meinen|meiner|unser|unsere|unserem|unseren"
                         r"|unserer)[ \t]+$", re.IGNORECASE)
def find_names(text: str) -> list[tuple[int, int]]:
    """The (start, end) character spans of the person names in one text."""
    return _find_in(judge(), text)


def names_and_words(text: str) -> tuple[list[tuple[int, int]], list[Tok]]:
    """find_names(text), and the text's judged words (name_tokens.tokens) it read."""
    tx = Text(judge(), text)
    return _found_in(tx), tx.toks


def find(positions: list[int], texts: list[str]) -> Iterable[tuple[int, int, int, str]]:
    """The kind's finder: (row, start, end, value) for every name in the cells; a
    text that repeats in the cells (a column of names) is read once."""
    j = judge()
    seen: dict[str, list[tuple[int, int]]] = {}
    for row, text in zip(positions, texts, strict=True):
        spans = seen.get(text)
        if spans is None:
            spans = seen[text] = _find_in(j, text)
        for start, end in spans:
            yield row, start, end, text[start:end]


def _find_in(j: Judge, text: str) -> list[tuple[int, int]]:
    return _found_in(Text(j, text))


def _found_in(tx: Text) -> list[tuple[int, int]]:
    toks, n = tx.toks, tx.n
    spans: list[tuple[int, int]] = []
    i = 0
    while i < n:
        t = toks[i]
        found: Span | None = None
        if t.info & TITLES and _title(t):
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


def _after_title(tx: Text, i: int) -> Span | None:
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


def _titled(tx: Text, k: int, *, strict: bool) -> Span | None:
    toks = tx.toks
    t = toks[k]
    if t.info & L.PARTICLE:
        p = tx.particles(k)  # "Herrn van der Dussen", "Hr. Dos Santos"
        if p > k and p < tx.n and tx.spaced(p - 1, p) and loose_surname(toks[p]):
            return k, p
        if t.info & LOWER or p > k:
            return None
    if t.info & INITIAL:
        return initialled(tx, k, need=0)
    mode = case_of(t)
    if t.info & (L.ROLE | L.PLACE_WORD) and not t.info & (L.TRADE | L.FIRM):
        ok = mode != LOWER  # "Herr Bruder", "Familie Bischof", "Frau Saal"
    elif mode == CAP:
        # after a title even a function word is a name, if a known one ("Herr Anders")
        ok = t.lvl >= 1 or (t.lvl == 0 and
                            # mid-sentence, only a name writes a function word or an
                            # adjective with a capital: "Herrn Kurz", "Herr Gute (geb. ...)"
                            (not t.info & L.STOP or tx.after_anchor(k) or
                             (len(t.text) > 3 and tx.toks[k - 1].text in _FULL_TITLES)) and
                            not (strict and (t.info & L.CALENDAR or
                                             t.text.lower() in W.TIMES_OF_DAY)))
    else:
        ok = name_word(t, mode, 1) or (t.lvl == 0 and bool(t.info & (L.FIRST | L.SURNAME))) \
            or (t.lvl >= 0 and loose_surname(t))
    if not ok or (t.dot and t.lvl < 1):
        return None  # "Frau mit Kind", an abbreviation ("Fr. Vorm.")
    # a given name and a surname ("Frau Anna Schmidt", "Frau Jadzia Piątek")
    p = tx.particles(k + 1)
    if p < tx.n and not t.dot and tx.spaced(p - 1, p):
        s = toks[p]
        if (t.info & L.FIRST and t.lvl >= 1 and surname_ok(s, mode, loose=t.lvl == 3)) or \
                (t.lvl >= 2 and name_word(s, mode, 2)):
            return k, p
    return k, k


def _name_at(tx: Text, i: int) -> Span | None:
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
        found = comma_name(tx, i, anchored=False)
    if found is None:
        run = name_run(tx, i)
        if run is not None and tx.after_anchor(run[1]) and run_is_name(tx, *run, need=2) and \
                (run[1] > run[0] or t.info & (CAP | UPPER)) and not tx.blocked_after(run[1]):
            found = run  # "Özçam Bilge, geb. 1.2.1980", "Stoica (Anwohner)"
    return found


def _from_first(tx: Text, i: int) -> Span | None:
    """A known first name, more given names or initials, particles, a surname."""
    toks = tx.toks
    t = toks[i]
    mode = case_of(t)
    if mode != CAP and t.lvl < 3:
        return None
    # a first name that is also a word ("Rose", "Mai"; a place such as "Arno" is not)
    ambiguous = t.lvl == 1 and bool(t.info & (L.NOUN | L.WORD | L.CALENDAR | L.STOP))
    given = [i]
    k = i + 1
    while k < tx.n and tx.spaced(k - 1, k) and (
            (toks[k].info & L.FIRST and toks[k].lvl >= 1 and case_of(toks[k]) == mode and
             not toks[k].info & BLOCK) or
            (toks[k].info & INITIAL and toks[k].dot and mode == CAP)):
        given.append(k)
        k += 1
        if toks[k - 1].dot and not toks[k - 1].info & INITIAL:
            break  # the end of a sentence
    p = tx.particles(k)
    found: Span | None = None
    if p < tx.n and tx.spaced(p - 1, p):
        s = toks[p]
        if ambiguous and p > k and t.info & L.EVERYDAY:
            ok = False  # "Foto von Instagram", "Bild von Meier": no name particle
        elif ambiguous:
            ok = name_word(s, mode, 2) or (s.lvl == 1 and bool(s.info & L.SURNAME) and
                                           name_word(s, mode, 1) and not s.info & L.WORD)
        else:
            ok = surname_ok(s, mode, loose=True)
        if ok:
            found = (i, p)
    if found is None and len(given) >= 2 and not toks[given[-1]].info & INITIAL and \
            any(toks[g].lvl == 3 or toks[g].info & L.SURNAME for g in given):
        found = (i, given[-1])  # "Klaus Peter hat angerufen", not "Bitte Foto"
    if found is None or tx.blocked_after(found[1]):
        return None
    if (t.text, toks[found[1]].text) in W.BRANDS:
        return None
    if ambiguous and DIGIT_NEXT.match(tx.text, t.end):
        return None  # "Mai 2024"
    return found


def _pair(tx: Text, i: int) -> Span | None:
    """Two or more words no list knows as common words, in capitals or as written:
    "Neşrin Çamurcuoğlu"; in lower or upper case one of them must be a known name."""
    toks = tx.toks
    mode = case_of(toks[i])
    k = i + 1
    while k < tx.n and k - i < 4 and tx.spaced(k - 1, k) and case_of(toks[k]) == mode and (
            name_word(toks[k], mode, 2) or
            (mode == CAP and toks[k].lvl == 1 and toks[k].info & (L.FIRST | L.SURNAME) and
             not toks[k].info & (L.WORD | BLOCK))):
        k += 1
    if k - i < 2:
        return None
    last = k - 1
    if mode != CAP and not any(toks[x].lvl == 3 for x in range(i, k)):
        return None
    if tx.blocked_after(last) or (toks[i].text, toks[last].text) in W.BRANDS:
        return None
    return i, last


def _after_anchor(tx: Text, i: int) -> Span | None:
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
    if ("\n" in gap and sign != ":") or not (sign in (":", ",", "-", "–") or SPACE.fullmatch(gap)):
        return None
    if toks[k].info & TITLES:
        return None  # "laut Frau Wagner": the title's rule
    strong = bool(a.info & _STRONG_ANCHOR) or sign == ":"
    prev = toks[i - 1] if i > 0 else None
    if prev is not None and tx.spaced(i - 1, i) and prev.info & (CAP | UPPER) and \
            prev.lvl >= 1 and ((a.info & L.PARTICLE and a.info & LOWER) or a.lvl >= 1):
        return None  # "Alexander von Humboldt", "Klaus Richter": inside a name
    if not strong and tx.blocked_before(i):
        return None  # "Metzgerei bei Anna"
    p = tx.particles(k)
    found = comma_name(tx, p, anchored=True) if p < tx.n else None
    if found is not None and (strong or toks[p].lvl >= 1 or (
            toks[found[1]].info & L.FIRST and not toks[found[1]].info & (L.WORD | L.NOUN))):
        return k, found[1]  # "Melder: Kummer, Siena", "durch Kranz, Walther"
    run = name_run(tx, k)
    if run is None:
        t = toks[k]
        if a.info & L.ROLE and t.info & CAP and t.lvl == 0 and loose_surname(t) and \
                not t.info & L.EVERYDAY and not tx.blocked_after(k):
            return k, k  # "Hausmeister Kranz", "Hausmeister Lange"; not "Hausmeister Service"
        return None
    if tx.blocked_after(run[1]) or (toks[run[0]].text, toks[run[1]].text) in W.BRANDS:
        return None  # "Werbung von Calvin Klein"
    first, last = run
    t = toks[first]
    if first == last and t.info & L.FIRST and t.lvl >= 1:
        p = tx.particles(first + 1)
        if p < tx.n and tx.spaced(p - 1, p) and surname_ok(toks[p], case_of(t), loose=True) and \
                not tx.blocked_after(p):
            return first, p  # "von Donna Kummer", "laut Horațiu Pop"
    if first == last and t.lvl >= 2 and t.info & CAP and first + 1 < tx.n and \
            tx.spaced(first, first + 1):
        s = toks[first + 1]  # a given name no list knows and a rare noun: "von Siena Kummer"
        if s.info & CAP and s.lvl == 0 and s.info & L.NOUN and \
                not s.info & (L.EVERYDAY | L.STOP | BLOCK) and not tx.blocked_after(first + 1):
            return first, first + 1  # not "von Instagram Story"
    names = [t for t in toks[first:last + 1] if t.lvl >= 1]
    if strong and first == last and a.info & L.RELATION and t.info & L.FIRST and \
            t.info & CAP and not t.info & L.CALENDAR and \
            _POSSESSIVE.search(tx.text, 0, a.start) is not None:
        return run  # "Mein Mann Brit hat es fotografiert", "meine Tochter Rose"
    if strong:
        # one name is enough; a word only capitalised ("Nachbar Bitte") is not, but a
        # known surname that is also a word is ("Hausmeister Lange")
        single_word = len(names) == 1 and names[0].lvl == 1 and names[0].info & L.WORD and \
            not (names[0].info & L.SURNAME and names[0].info & CAP)
        return run if run_is_name(tx, *run, need=1) and not single_word else None
    if len(names) >= 2 or toks[first].info & INITIAL:
        return run if run_is_name(tx, *run, need=2) else None
    return run if names and names[0].lvl == 3 else None


def _initial_at(tx: Text, i: int) -> Span | None:
    """An initial and a surname: "K. Wagner", "A Sperl", "Ə. Vilayətoğlu"."""
    toks = tx.toks
    t = toks[i]
    if tx.text[:t.start].rstrip(" \t")[-1:].isdigit():
        return None  # "QZ-487 V. Falschparker", "WN 7706 E.": no initial
    if i > 0 and toks[i - 1].info & INITIAL and toks[i - 1].info & LOWER and toks[i - 1].dot \
            and tx.spaced(i - 1, i):
        return None  # "i. A.", "z. B.": abbreviations
    if not t.info & CAP:
        run = name_run(tx, i)  # "b. şener (anwohner)": only with what follows
        if run is not None and tx.after_anchor(run[1]):
            return run
        return None
    if i > 0 and tx.spaced(i - 1, i) and toks[i - 1].info & (L.NOT_BEFORE | L.NOUN | NOUNISH) \
            and not toks[i - 1].info & (L.FIRST | L.ROLE):
        return None  # "Gleis B", "Plan B"
    found = initialled(tx, i, need=1 if t.dot else 2)
    if found is None:
        found = initialled(tx, i, need=0)  # "A. Stockhammer (Anwohner)", "S Bruder (Anwohner)"
        if found is not None and not tx.after_anchor(found[1]):
            found = None
    if found is None or not toks[found[1]].info & (CAP | UPPER) or \
            tx.blocked_after(found[1]):
        return None
    return found


def _signatures(tx: Text) -> Iterator[tuple[int, int]]:
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


def _signed(tx: Text, k: int, *, by_order: bool, thanks: bool) -> Span | None:
    toks = tx.toks
    t = toks[k]
    if t.info & TITLES and _title(t):
        return _after_title(tx, k)
    if by_order and t.info & CAP and t.lvl == 0 and loose_surname(t):
        return k, k  # "i. A. Müller": a name follows, whatever it looks like
    found: Span | None = None
    if t.info & INITIAL:
        found = initialled(tx, k, need=0)  # "MfG J. Speer", "Beste Grüße\nH Hecker"
        s = toks[k + 1] if k + 1 < tx.n else None
        if found is None and t.dot and t.info & CAP and s is not None and tx.spaced(k, k + 1) \
                and s.info & CAP and s.lvl == 0 and not s.info & (BLOCK | L.CALENDAR) and \
                tx.line_ends(k + 1):
            found = (k, k + 1)  # "MfG R. Kurz"
    elif t.info & L.FIRST and t.lvl >= 1:
        p = tx.particles(k + 1)
        if p < tx.n and tx.spaced(p - 1, p) and (
                surname_ok(toks[p], case_of(t), loose=True) or
                (toks[p].info & CAP and (toks[p].lvl == 0 or _place_word(toks[p])) and
                 tx.line_ends(p))):
            # "MfG\nMerlin Hafner", "Danke, Veli Gute", "Danke, Inge Ring" (at the line's end)
            found = (k, p)
    elif t.info & CAP and t.lvl == 0 and loose_surname(t) and tx.spaced(k, k + 1) and \
            name_word(toks[k + 1], CAP, 2):
        found = (k, k + 1)  # "Gruß Iwo Chalimoniuk"
    if found is not None:
        return found if tx.line_ends(found[1]) else None
    run = name_run(tx, k)
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


def _place_word(t: Tok) -> bool:
    """A word no name list knows that names places ("Ring", "Berg"): a surname too,
    where a signature's first name stands before it at the end of its line."""
    return t.lvl < 0 and bool(t.info & L.PLACE_WORD) and \
        not t.info & (HARD | L.ROLE | L.TRADE | L.CALENDAR | L.HOLIDAY | L.AFTER)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    return out
