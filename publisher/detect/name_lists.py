"""The word lists behind the person-name kind, read from installed packages at
run time (importlib.resources; nothing is copied into this repository).

- First names with their country of use: `gender-guesser`'s nam_dict.txt
  (Jörg Michael's list, GNU FDL; about 48,000 names from 55 countries, each
  with a frequency 1-13 per country), plus the first names of `german-nouns`.
- Surnames, common nouns and place names: `german-nouns` (German Wiktionary,
  CC BY-SA 4.0): every inflected form of the common nouns, and the lemmas
  tagged Nachname and Toponym.
- German function words: `stopwordsiso` (MIT), so that "Am", "Da" or "Man"
  (first names somewhere) do not start a name at the start of a sentence.

The lists are loaded on first use, once per process, under a lock: 1-4 s on
the 2-core development machine (depending on its load) and about 35 MB of
Python objects (57,000 first names, 228,000 noun forms).
"""

from __future__ import annotations

import json
import threading
import unicodedata
from dataclasses import dataclass
from importlib import resources

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

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
# A first name this frequent in DE/AT/CH (log scale; 6 is about 0.06 % of people)
# is a name first, even where it is also a word ("Ernst", "Klaus", "Iris").
COMMON_HERE = 6

# Months and weekdays: first names in some countries, dates in German texts.
_CALENDAR = frozenset((
    "Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember", "Montag", "Dienstag", "Mittwoch",
    "Donnerstag", "Freitag", "Samstag", "Sonnabend", "Sonntag",
))
_NOUN_FORMS = ("lemma", "nominativ singular", "nominativ plural", "genitiv singular",
               "dativ singular", "dativ plural", "akkusativ singular")


@dataclass(frozen=True)
class NameLists:
    first: frozenset[str]  # first names that may start a name (function words removed)
    ambiguous: frozenset[str]  # first names that are also German words or dates
    surnames: frozenset[str]  # surnames the German Wiktionary lists (many are also nouns)
    nouns: frozenset[str]  # every listed form of a German common noun
    places: frozenset[str]  # place names (Wiktionary toponyms)
    stopwords: frozenset[str]  # German function words, lower case


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
    local_freq = _first_names()
    nouns, surnames, places, wiki_first = _wiktionary()
    stopwords = _stopwords()
    for name in wiki_first:
        local_freq.setdefault(name, 0)
    for name, freq in list(local_freq.items()):
        for variant in _spellings(name):
            local_freq[variant] = max(local_freq.get(variant, 0), freq)
    first: set[str] = set()
    ambiguous: set[str] = set()
    for name, freq in local_freq.items():
        common_here = freq >= COMMON_HERE
        if name.lower() in stopwords and not common_here:
            continue
        first.add(name)
        if name in _CALENDAR or (not common_here and name in nouns):
            ambiguous.add(name)
    return NameLists(first=frozenset(first), ambiguous=frozenset(ambiguous),
                     surnames=frozenset(surnames), nouns=frozenset(nouns),
                     places=frozenset(places - surnames), stopwords=frozenset(stopwords))


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


def _stopwords() -> set[str]:
    data = resources.files("stopwordsiso") / "stopwords-iso.json"
    words: list[str] = json.loads(data.read_text(encoding="utf-8"))["de"]
    return {w.lower() for w in words}
