"""Words as the person-name finder sees them (publisher.detect.names): each word
of a text, with its place, how it is written, what the lexicon says it can be
(publisher.detect.name_lists) and how much it looks like a name.

How much a word looks like a name (its level), whatever the case it is written in:

- 3: a known first name or surname that is no common word ("Klaus", "Becker",
  "klaus", "ÖZTÜRK" when the lists know it);
- 2: a word no list knows, German or name ("Çamurcuoğlu", "Kowalczyk", "lütfi");
- 1: a known name that is also a common word ("Koch", "Rose", "Braun", "ernst"),
  or a rare noun, as many surnames are ("Hübel", "Jungfer"), or a place name;
- 0: a common word ("Laterne", "kommt", "Wartehäuschen");
- -1: a word that is never a name here (titles, roles, places, trades,
  greetings, closing words, digits).

A word's judgement is kept per spelling (words repeat across cells), at most
`_CACHE` of them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from publisher.detect import name_lists as L
from publisher.detect import name_words as W

# How a word is written (beside the lexicon's flags, which stop at bit 26).
CAP = 1 << 27  # "Wagner", "McDonald", "Müller-Lüdenscheidt"
UPPER = 1 << 28  # "WAGNER"
LOWER = 1 << 29  # "wagner"
INITIAL = 1 << 30  # one letter: "K" (of "K.")
NOUNISH = 1 << 31  # a common noun or a compound of one ("Wartehäuschen")
# A word in lower case that is no name, no noun and announces nothing ("ist",
# "defekt", "seit"): `tokens` leaves it out. The words around it still see it, as
# the text between them is no longer only spaces.
QUIET = 1 << 32
# A capitalised common word ("Laterne", "Die"): a surname only right after a word
# that announces one ("Herr Salz", "Hausmeister Kranz", "J. Speer", "Klaus Koch");
# elsewhere `tokens` leaves it out too.
LONELY = 1 << 33
ANNOUNCES = 1 << 34  # a surname may follow ("Herr", "Hausmeister", "K.", "Klaus", "durch")
SHAPES = CAP | UPPER | LOWER
_LEVEL = 40  # the level + 1 sits in the bits from here

# Never a name, whatever else the word is.
HARD = (L.TITLE | L.TITLE_ABBR | L.ACADEMIC | L.GREETING | L.CLOSING | L.FIRM | L.LABEL |
        L.PARTICLE | L.INTRO)
# Never a name unless a list knows it as one ("Richter", "Kai", "Halle").
SOFT = L.ROLE | L.PLACE_WORD | L.TRADE | L.NOT_BEFORE | L.HOLIDAY | L.AFTER | L.CALENDAR
KNOWN = L.FIRST | L.SURNAME
# what makes a word in lower case worth keeping: a name, a noun (a surname in a
# text written in lower case), or a word that announces or ends a name
_TELLING = (KNOWN | L.NOUN | NOUNISH | L.PLACE | HARD | SOFT | L.RELATION) & ~L.CALENDAR
_ANNOUNCES = (L.TITLE | L.TITLE_ABBR | L.ACADEMIC | L.ROLE | L.LABEL | L.INTRO | L.CLOSING |
              L.PARTICLE | L.FIRST | L.RELATION)
# particles that are articles, and prepositions that rarely stand before a surname
_WEAK = frozenset(("der", "den", "das", "dem", "die", "zu", "zum", "zur", "an", "mit", "für",
                   "bei", "über", "per", "ich", "wir", "ihr", "ihre", "dein", "deine", "euer",
                   "eure"))
COMMON = L.NOUN | L.WORD | L.PLACE | L.CALENDAR | L.STOP | NOUNISH

_CACHE = 300_000
_LETTERS = re.compile(r"[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*(?:['’\-][^\W\d_]+)*")


def level(info: int) -> int:
    return (info >> _LEVEL) - 1


class Tok(NamedTuple):
    text: str
    start: int
    end: int
    dot: bool  # a full stop right after it
    info: int  # flags | shape | level (see Judge.info)
    lvl: int
    sp: bool  # only spaces since the word before (after its full stop, if an initial's
    # or an abbreviation's: "K. Wagner", "Hr.Heintze")


_new = tuple.__new__
_DOTTED = INITIAL | L.TITLE | L.TITLE_ABBR | L.ACADEMIC | L.NOT_BEFORE  # "K." "Dr." "St."
_SPACES = " \t\u00a0"


class Judge:
    """The lexicon, and the judgement of each word (cached)."""

    def __init__(self, lists: L.NameLists) -> None:
        self.words = lists.words
        self.cached: dict[str, int] = {}
        self.pieces: dict[str, list[tuple[str, int, int]]] = {}

    def info(self, word: str) -> int:
        """The word's flags (name_lists), shape, and level, in one int."""
        got = self.cached.get(word)
        if got is None:
            if len(self.cached) > _CACHE:
                self.cached.clear()
            got = self.cached[word] = self._judge(word)
        return got

    def piece(self, piece: str) -> list[tuple[str, int, int]]:
        """The words of a piece of text between white space, with their offsets in
        it and judgements; none if all are QUIET (cached)."""
        if len(self.pieces) > _CACHE:
            self.pieces.clear()
        core = piece.strip(_STRIP)
        if core.isalpha():
            got = self.info(core)
            words = [] if got & QUIET else [(core, piece.find(core), got)]
        elif core:
            pattern = _WORD_MARKS if _MARKS.search(piece) else _WORD
            words = [(m.group(), m.start(), self.info(m.group())) for m in pattern.finditer(piece)]
            if all(got & QUIET for _, _, got in words):
                words = []
        else:
            words = []
        self.pieces[piece] = words
        return words

    def _judge(self, word: str) -> int:
        if _LETTERS.fullmatch(word) is None:
            return 0  # digits, signs: level -1
        letters = word.replace("-", "").replace("'", "").replace("’", "")
        if len(letters) == 1:
            # the lexicon's flags too: "A" of "i. A." is a closing word
            return INITIAL | ANNOUNCES | (CAP if word.isupper() else LOWER) | \
                (self.words.get(word.lower(), 0) & L.CLOSING)
        head, _, tail = word.rpartition("-")
        if len(tail) == 1 and head and self.info(head) & L.FIRST and level(self.info(head)) >= 1:
            # a given name and the initial of a second one ("Hans-H.", "klaus-d."): an initial
            return INITIAL | ANNOUNCES | (LOWER if word.islower() else CAP)
        if word.isupper():
            shape = UPPER
        elif word.islower():
            shape = LOWER
        elif word[0].isupper():
            shape = CAP
        else:
            return 0  # "eMail", "iPhone"
        key = word.lower()
        flags = self.words.get(key)
        if flags is None:
            flags = self._unknown(key)
        elif key.endswith(W.PLACE_ENDINGS):
            flags |= L.PLACE_WORD  # "Lindenstraße", a listed noun
        lvl = _level(key, flags, shape)
        if shape != CAP and len(letters) < 3:
            lvl = min(lvl, 0)  # "QZ", "hy": codes more often than names
        telling = flags & _TELLING if not flags & (L.WORD | L.STOP) else \
            flags & _TELLING & ~(L.NOUN | NOUNISH)  # "ist", "aus" are nouns too
        quiet = QUIET if shape == LOWER and lvl <= 0 and not telling else 0
        if shape != LOWER and lvl == 0 and not flags & (HARD | SOFT | KNOWN | L.RELATION):
            quiet = LONELY
        if (flags & _ANNOUNCES and not (flags & (L.PARTICLE | L.INTRO) and key in _WEAK)) or \
                (lvl >= 2 and shape == CAP):
            quiet |= ANNOUNCES  # a given name no list knows ("Siena Kummer")
        return shape | flags | quiet | ((lvl + 1) << _LEVEL)

    def _unknown(self, key: str) -> int:
        """Flags for a word the lexicon lacks: a hyphenated compound by its parts,
        a compound noun by its head ("spielplatzrand" -> "rand")."""
        words = self.words
        if "-" in key:
            parts = [p for p in key.split("-") if p]
            if not parts:
                return 0
            got = [words.get(p) or self._unknown(p) for p in parts]
            last = got[-1]
            flags = last & (L.PLACE_WORD | L.TRADE | L.FIRM | L.ROLE | NOUNISH | L.NOUN)
            if got[0] & L.PARTICLE and len(got) > 1:
                got = got[1:]  # "al-hassan", "el-sayed"
            names = all(g & KNOWN or not g & (COMMON | HARD | SOFT) for g in got)
            if names:
                if all(g & L.FIRST for g in got):
                    flags |= L.FIRST | (L.FIRST_HERE if all(g & L.FIRST_HERE for g in got)
                                        else 0)
                if any(g & KNOWN for g in got):
                    flags |= L.SURNAME
                flags &= ~(NOUNISH | L.NOUN)
            elif flags & L.NOUN:
                flags |= NOUNISH
            if key.endswith(W.PLACE_ENDINGS):
                flags |= L.PLACE_WORD
            return flags
        flags = L.PLACE_WORD if key.endswith(W.PLACE_ENDINGS) else 0
        head = self._compound(key, 0)
        if head:
            flags |= NOUNISH | (head & (L.ROLE | L.PLACE_WORD | L.TRADE))
            if len(key) > 6 and key.endswith(W.ROLE_ENDINGS):
                flags |= L.ROLE
            if key.endswith(W.TRADE_ENDINGS):
                flags |= L.TRADE
        return flags

    def _compound(self, key: str, depth: int) -> int:
        """The flags of the head noun if `key` is a German compound of a word and a
        common noun ("warte|häuschen", "spielplatz|rand", "bürger|amt"), else 0.
        Both parts must be German: "Iftik|haar", "Llor|ente" and "Casa|grande"
        are names, and so are the words ending like surnames ("Linde|mann")."""
        words = self.words
        for i in range(3, len(key) - 2):
            tail = key[i:]
            if len(key) < 7 and len(tail) < 4:
                break  # "Alm|ast": too short to tell
            if tail in W.NAME_ENDINGS:
                return 0
            head = words.get(tail, 0)
            if not head & L.NOUN or not head & L.FREQUENT or head & L.SURNAME or \
                    (len(tail) < 6 and head & L.FIRST):
                continue
            if self._modifier(key[:i], depth):
                return head
        return 0

    def _modifier(self, part: str, depth: int) -> bool:
        """A German word, with or without a linking element ("spielplatz", "arbeit|s",
        "kletter|n")."""
        words = self.words
        for link in _LINKS:
            if not part.endswith(link):
                continue
            stem = part[:len(part) - len(link)]
            if len(stem) < 3:
                continue
            for ending in _STEM_ENDINGS:
                got = words.get(stem + ending, 0)
                # a short stem only as a common noun ("bus", "rad"; not "bam", "sie")
                if got & (L.NOUN | L.WORD) and not got & L.STOP and \
                        (len(stem) >= 4 or got & L.FREQUENT):
                    return True
        return depth < 1 and bool(self._compound(part, depth + 1))


# linking elements between the parts of a compound, and the endings a verb stem lacks
_LINKS = ("", "s", "es", "n", "en", "e", "er", "ns")
_STEM_ENDINGS = ("", "e", "en", "n")


def _level(key: str, flags: int, shape: int) -> int:
    if flags & HARD:
        return -1
    known = flags & KNOWN
    if flags & SOFT and not known:
        return -1
    if flags & L.STOP and not (flags & L.FIRST_HERE and shape != LOWER):
        # "Ernst" is a name, "ernst" a word; "Lange", "Groß" are surnames too
        return 1 if flags & L.SURNAME and shape != LOWER and len(key) > 3 else 0
    common = flags & COMMON
    if not known and (common == L.PLACE or (common == L.NOUN and not flags & L.FREQUENT)):
        return 1  # a rare noun, as many surnames are ("Hübel", "Jungfer"), or a place name
    if known:
        if flags & L.FIRST_HERE and not flags & L.CALENDAR and \
                not (shape == LOWER and flags & L.WORD):
            return 3  # "Klaus", "Ernst" (but "ernst" is a word)
        return 1 if common else 3
    return 0 if common else 2


@cache
def judge() -> Judge:
    return Judge(L.name_lists())


# The words of a text: letters with inner hyphens and apostrophes ("Müller-
# Lüdenscheidt", "O'Brien"), not glued to digits or an @ ("rafee76@..."); where
# a text has combining marks ("i̇nönü"), with them.
_WORD = re.compile(r"(?<![\w@'’\-])[^\W\d_]+(?:['’\-][^\W\d_]+)*(?![\w@'’]|-\w)")
_WORD_MARKS = re.compile(r"(?<![\w@'’\-])[^\W\d_](?:[^\W\d_]|[\u0300-\u036f])*"
                         r"(?:['’\-][^\W\d_]+)*(?![\w@'’]|-\w)")
_MARKS = re.compile(r"[\u0300-\u036f]")
# e-mail addresses and links: their words are no names
_JUNK = re.compile(r"\S*(?:@|://|www\.|\(at\)|\[at\])\S*", re.IGNORECASE)


# what a word may carry at either end ("(Anwohner).", "„Müller“,")
_STRIP = "\"'“”„«»‚‘’()[]{}<>.,;:!?*/|+=&…–—-_#%§$€"


def tokens(j: Judge, text: str) -> tuple[list[Tok], int]:
    """The words of a text, judged, but for the QUIET ones, and all their flags
    together. The text is split at white space (in C), and each distinct piece is
    judged once (Judge.piece): a piece of QUIET words costs one look-up."""
    if "@" in text or "://" in text or "www." in text or "(at)" in text or "[at]" in text:
        text = _JUNK.sub(lambda m: " " * len(m.group()), text)
    pieces = j.pieces
    out: list[Tok] = []
    add = out.append
    find = text.find
    starts = text.startswith
    union = 0
    pos = 0
    after = -1  # where the word before ends (after its full stop if dotted); -1: not next
    announced = False  # the word before announces a name
    for piece in text.split():
        words = pieces.get(piece)
        if words is None:
            words = j.piece(piece)
        if not words or (not announced and words[0][2] & LONELY and len(words) == 1):
            after = -1
            announced = False
            continue
        start = find(piece, pos)
        pos = start + len(piece)
        while (start > 0 and not text[start - 1].isspace()) or \
                (pos < len(text) and not text[pos].isspace()):
            start = find(piece, start + 1)  # inside a piece left out before
            pos = start + len(piece)
        for word, offset, got in words:
            if got & QUIET or (got & LONELY and not announced):
                after = -1
                announced = False
                continue
            announced = bool(got & ANNOUNCES)
            first = start + offset
            end = first + len(word)
            dot = starts(".", end)
            gap = text[after:first] if after >= 0 else "x"
            sp = (gap == "" and after >= 0) or (gap != "" and gap.strip(_SPACES) == "")
            add(_new(Tok, (word, first, end, dot, got, (got >> _LEVEL) - 1, sp)))
            union |= got
            after = end + 1 if dot and got & _DOTTED else end
    return out, union
