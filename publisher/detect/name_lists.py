"""The word lists behind the person-name kind, read from installed packages at
run time (importlib.resources; nothing is copied into this repository), merged
into one lexicon: lower-case word -> what it can be (bit flags below).

- First names with their country of use: `gender-guesser`'s nam_dict.txt
  (Jörg Michael's list, GNU FDL; about 48,000 names from 55 countries, each
  with a frequency 1-13 per country), plus the first names of `german-nouns`,
  each also as people type it without its letters ("Jürgen" -> "Juergen").
- Surnames, common nouns and place names: `german-nouns` (German Wiktionary,
  CC BY-SA 4.0): every inflected form of the common nouns, and the lemmas
  tagged Nachname and Toponym.
- The words German writes in lower case (verbs, adjectives, adverbs, function
  words; MIT): spaCy's German word probabilities (`spacy-lookups-data`,
  de_lexeme_prob), each word taken where its lower-case form is at least as
  frequent as its capitalised one ("kommt", "weiß", "kurz", but not "klaus",
  which is nearly always written "Klaus"), plus `stopwordsiso`'s German list.
  So a word tells what it is whatever case a text is written in: "gemeldet
  von klaus wagner" and "HAUSMEISTER ÇETIN" are judged like "Klaus Wagner".
- The hand-written words of publisher.detect.name_words (titles, roles,
  places, trades ...).

Loaded on first use, once per process, under a lock. Built, it is kept in a
per-user cache (publisher.detect.name_cache): a process reads it back in a few
hundredths of a second, where building it costs about 1-2 s CPU on the 2-core
development machine (depending on its load). The process grows by about 110 MB
(some 350,000 words), at most about 170 MB while building.
"""

from __future__ import annotations

import gzip
import json
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from publisher.detect import name_words as W
from publisher.detect.name_cache import Words, cached_lexicon

# What a word can be (several at once: "koch" is a noun and a surname).
FIRST = 1 << 0  # a first name somewhere
FIRST_HERE = 1 << 1  # a first name common in DE/AT/CH: a name first, even where also a word
SURNAME = 1 << 2
NOUN = 1 << 3  # a form of a German common noun
WORD = 1 << 4  # written in lower case in German (verb, adjective, adverb, function word)
STOP = 1 << 5  # a function word ("der", "und", "am")
PLACE = 1 << 6  # a place name
CALENDAR = 1 << 7  # a month or weekday
TITLE = 1 << 8  # Herr, Frau, Familie
TITLE_ABBR = 1 << 9  # Hr., Fr.: only with a full stop
ACADEMIC = 1 << 10  # Dr., Prof.
ROLE = 1 << 11  # Hausmeister, Nachbarin, Sohn
LABEL = 1 << 12  # Name:, Melder:
INTRO = 1 << 13  # von, laut, durch
PARTICLE = 1 << 14  # von, van, de
PLACE_WORD = 1 << 15  # Straße, Schule, Platz
FIRM = 1 << 16  # GmbH, KG
TRADE = 1 << 17  # Bäckerei, Getränke
NOT_BEFORE = 1 << 18  # Haltestelle, Richtung, Sankt
HOLIDAY = 1 << 19  # Himmelfahrt
GREETING = 1 << 20  # Hallo, Danke
CLOSING = 1 << 21  # Grüße, MfG, LG
AFTER = 1 << 22  # Anwohner, geb.
ACADEMIC_NO_DOT = 1 << 23
RELATION = 1 << 25  # Bruder, Tochter (a role, but a surname after Herr and Frau)
EVERYDAY = 1 << 26  # a noun among the most frequent ("Service", "Team"; not "Kranz")
FREQUENT = 1 << 24  # a noun common enough to head a compound ("Mühle", not "Wina")

# A first name this frequent in DE/AT/CH (log scale; 6 is about 0.06 % of people)
# is a name first, even where it is also a word ("Ernst", "Klaus", "Iris").
COMMON_HERE = 6
# spaCy's log probabilities: a lower-case word rarer than this is left out (the
# rarest entries are mostly names and typos written in lower case); a noun at
# least this frequent is a common one ("Mühle", "Kranz"; not "Hübel", "Jungfer").
_RARE = -16.0
_FREQUENT = -14.5
_EVERYDAY = -12.0
_NEVER = -99.0
# A lower-case word is often capitalised as the first of a sentence ("Anbei ..."):
# it counts as written in lower case while its capitalised form is at most this
# much more frequent (log scale, a factor of 2.7); a name's is far more ("klaus"
# -14.1 against "Klaus" -10.0), and so is a noun's.
_SENTENCE_START = 1.0

# nam_dict.txt: column 30 onward holds one frequency digit (hex) per country,
# in this order (the file's header documents it).
_COUNTRIES = (
    "great_britain", "ireland", "usa", "italy", "malta", "portugal", "spain", "france",
    "belgium", "luxembourg", "the_netherlands", "east_frisia", "germany", "austria", "swiss",
    "iceland", "denmark", "norway", "sweden", "finland", "estonia", "latvia", "lithuania",
    "poland", "czech_republic", "slovakia", "hungary", "romania", "bulgaria",
    "bosnia_herzegovina", "croatia", "kosovo", "macedonia", "montenegro", "serbia",
    "slovenia", "albania", "greece", "russia", "belarus", "moldova", "ukraine", "armenia",
    "azerbaijan", "georgia", "the_stans", "turkey", "arabia", "israel", "china", "india",
    "japan", "korea", "vietnam", "other_countries")
_LOCAL = tuple(_COUNTRIES.index(c) for c in ("germany", "austria", "swiss"))
_NOUN_FORMS = ("lemma", "nominativ singular", "nominativ plural", "genitiv singular",
               "dativ singular", "dativ plural", "akkusativ singular")


@dataclass(frozen=True)
class NameLists:
    words: Words  # lower-case word -> its flags (a dict, or the extension's Lexicon)

    def flags(self, word: str) -> int:
        return self.words.get(word.lower(), 0)


_lock = threading.Lock()
_lists: NameLists | None = None


def name_lists() -> NameLists:
    """The lists, loaded on first use (thread-safe, once per process)."""
    global _lists
    if _lists is None:
        with _lock:
            if _lists is None:
                _lists = _load()
    return _lists


def _load() -> NameLists:
    return NameLists(words=cached_lexicon(_build))


def _build() -> dict[str, int]:
    """The lexicon, built from the packages' word lists."""
    words: dict[str, int] = {}

    def add(items: Iterable[str], flag: int) -> None:
        for item in items:
            key = item.lower()
            words[key] = words.get(key, 0) | flag

    first = _first_names()
    nouns, surnames, places, wiki_first = _wiktionary()
    for name in wiki_first:
        first.setdefault(name, 0)
    for name, freq in list(first.items()):
        for variant in _spellings(name):
            first[variant] = max(first.get(variant, 0), freq)
    add(first, FIRST)
    add((n for n, f in first.items() if f >= COMMON_HERE), FIRST_HERE)
    add(surnames, SURNAME)
    add(nouns, NOUN)
    add(places, PLACE)
    prob = _probabilities()
    add(_lower_case_words(prob), WORD)
    add((n for n in nouns if prob.get(n, _NEVER) >= _FREQUENT), FREQUENT)
    add((n for n in nouns if prob.get(n, _NEVER) >= _EVERYDAY), EVERYDAY)
    stop = _stopwords()
    add(stop, STOP | WORD)
    for flag, items in ((CALENDAR, W.CALENDAR), (TITLE, W.ADDRESS), (TITLE_ABBR, W.ADDRESS_ABBR),
                        (ACADEMIC, W.ACADEMIC), (ACADEMIC_NO_DOT, W.ACADEMIC_NO_DOT),
                        (ROLE, _feminine(W.ROLES | W.RELATIONS)), (RELATION, W.RELATIONS),
                        (LABEL, W.LABELS), (INTRO, W.INTRO),
                        (PARTICLE, W.PARTICLES), (PLACE_WORD, W.PLACE_WORDS),
                        (FIRM, W.FIRM_WORDS), (TRADE, W.TRADES),
                        (NOT_BEFORE, W.NOT_A_PERSON_BEFORE), (HOLIDAY, W.HOLIDAY_WORDS),
                        (GREETING, W.GREETINGS), (CLOSING, W.CLOSING_WORDS),
                        (AFTER, W.AFTER)):
        add(items, flag)
    canonical: dict[int, int] = {}  # one int object per distinct value (saves memory)
    return {k: canonical.setdefault(v, v) for k, v in words.items()}


def _feminine(roles: Iterable[str]) -> set[str]:
    """The roles and their feminine forms: "nachbar" -> "nachbarin", "kollege" -> "kollegin"."""
    out = set(roles)
    for role in roles:
        if not role.endswith(("in", "frau", "mutter", "tochter", "schwester", "tante")):
            out.add((role[:-1] if role.endswith("e") else role) + "in")
    return out


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                          "Ü": "Ue"})
_PLAIN = str.maketrans({"ß": "ss", "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O",
                        "đ": "d", "Đ": "D", "æ": "ae", "Æ": "Ae"})


def _spellings(name: str) -> set[str]:
    """How people type a name without its letters: "Jürgen" -> "Juergen", "Jurgen";
    "Ayşe" -> "Ayse"; "Łukasz" -> "Lukasz"."""
    if name.isascii():
        return set()
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name.translate(_PLAIN))
                    if not unicodedata.combining(ch))
    return {v for v in (name.translate(_UMLAUTS), plain) if v != name and v.isascii()}


def _first_names() -> dict[str, int]:
    """gender-guesser's names -> the highest frequency in DE, AT or CH (0: not used there)."""
    freq: dict[str, int] = {}
    data = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    with data.open(encoding="utf-8") as lines:
        for line in lines:
            if line[:1] in ("#", "=", ""):
                continue
            name = line[3:29].strip()
            digits = line[30:30 + len(_COUNTRIES)]
            here = max((int(digits[i], 16) for i in _LOCAL
                        if i < len(digits) and digits[i].strip()), default=0)
            # "+" joins Arabic, Chinese and Korean parts: "Abdel+Aziz" is written
            # "Abdelaziz" or "Abdel-Aziz" (the spaced form is two names anyway).
            for written in ({name.replace("+", j) for j in ("", "-")} if "+" in name
                            else (name,)):
                if written[:1].isupper():
                    freq[written] = max(freq.get(written, 0), here)
    return freq


def _wiktionary() -> tuple[set[str], set[str], set[str], set[str]]:
    """german-nouns: (common noun forms, surnames, place names, first names)."""
    text = pa.string()
    options = pacsv.ConvertOptions(include_columns=["pos", *_NOUN_FORMS],
                                   column_types=dict.fromkeys(["pos", *_NOUN_FORMS], text),
                                   strings_can_be_null=True)
    with resources.as_file(resources.files("german_nouns") / "nouns.csv") as path:
        table = pacsv.read_csv(path, convert_options=options)
    pos = pc.fill_null(table["pos"], "")
    lemma = table["lemma"]

    def lemmas(tag: str) -> set[str]:
        return {w for w in lemma.filter(pc.match_substring(pos, tag)).to_pylist() if w}

    named = pc.match_substring_regex(pos, "Vorname|Nachname|Toponym|Eigenname")
    common = pc.and_(pc.match_substring(pos, "Substantiv"), pc.invert(named))
    forms = pa.concat_arrays([table[c].filter(common).combine_chunks() for c in _NOUN_FORMS])
    nouns = {w for w in pc.unique(forms).to_pylist() if w}
    return nouns, lemmas("Nachname"), lemmas("Toponym"), lemmas("Vorname")


def _probabilities(floor: float = _RARE) -> dict[str, float]:
    """spaCy's German word -> log probability (as written, case kept), for the
    words at least `floor` likely: nothing rarer is used (a capitalised form rarer
    than `floor` never outweighs a lower-case one that is kept).

    The file holds a million words, one a line, the likeliest first: it is read
    line by line up to the first word below `floor` (a fifth of it, in a tenth of
    the memory json.load takes), or whole if it is written otherwise."""
    data = resources.files("spacy_lookups_data") / "data" / "de_lexeme_prob.json.gz"
    prob: dict[str, float] = {}
    try:
        with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
            for line in lines:
                key, colon, value = line.strip().rstrip(",").rpartition(":")
                if not colon:
                    continue  # the braces
                p = float(value)
                if p < floor:
                    break
                prob[json.loads(key) if "\\" in key else key[1:-1]] = p
    except ValueError:  # not one word a line
        with data.open("rb") as raw, gzip.open(raw) as unzipped:
            everything: dict[str, float] = json.load(unzipped)
        prob = {word: p for word, p in everything.items() if p >= floor}
    return prob


def _lower_case_words(prob: dict[str, float]) -> list[str]:
    """The words German writes in lower case, from spaCy's word probabilities."""
    out = []
    for word, p in prob.items():
        if p >= _RARE and word.islower() and word.isalpha():
            capitalised = prob.get(word[:1].upper() + word[1:])
            if capitalised is None or p >= capitalised - _SENTENCE_START:
                out.append(word)
    return out


def _stopwords() -> set[str]:
    data = resources.files("stopwordsiso") / "stopwords-iso.json"
    words: list[str] = json.loads(data.read_text(encoding="utf-8"))["de"]
    return {w.lower() for w in words}
