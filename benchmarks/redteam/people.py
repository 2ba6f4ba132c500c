"""Names, e-mail addresses and street addresses.

Names come from Faker's locale lists (de_DE, de_AT, tr_TR, pl_PL, it_IT,
hr_HR, Arabic names as written in Latin letters from en_PK, ...), a source
independent of the name lists the detector uses. One pool per locale is drawn
per seed, so a new seed brings other names.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from functools import cache

from faker import Faker

from .values import Value, pick

# Countries of use of the people who write to a German or Austrian city, by share.
LOCALES = [("de_DE", 34.0), ("de_AT", 12.0), ("de_CH", 3.0), ("tr_TR", 10.0), ("pl_PL", 7.0),
           ("it_IT", 5.0), ("en_PK", 6.0), ("hr_HR", 4.0), ("ro_RO", 4.0), ("cs_CZ", 2.0),
           ("hu_HU", 2.0), ("fr_FR", 2.0), ("es_ES", 2.0), ("nl_NL", 2.0), ("pt_PT", 2.0),
           ("az_AZ", 2.0), ("sl_SI", 1.0)]
POOL = 300


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool
    locale: str


@cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


def person_pool(seed: int) -> dict[str, list[Person]]:
    pools: dict[str, list[Person]] = {}
    for i, (locale, _) in enumerate(LOCALES):
        fake = _faker(locale)
        fake.seed_instance(seed * 1009 + i)
        people = []
        for _ in range(POOL):
            female = fake.random.random() < 0.5
            first = fake.first_name_female() if female else fake.first_name_male()
            last = fake.last_name_female() if female else fake.last_name_male()
            people.append(Person(first, last, female, locale))
        pools[locale] = people
    return pools


class People:
    """Draws persons for one generated set."""

    def __init__(self, seed: int) -> None:
        self.pools = person_pool(seed)
        self.locales = [loc for loc, _ in LOCALES]
        self.weights = [w for _, w in LOCALES]

    def person(self, rng: random.Random) -> Person:
        locale = rng.choices(self.locales, self.weights)[0]
        return rng.choice(self.pools[locale])


# ---------------------------------------------------------------- name forms


def name_full(rng: random.Random, p: Person) -> Value:
    return f"{p.first} {p.last}", f"first last {p.locale}"


def name_last(rng: random.Random, p: Person) -> Value:
    return p.last, f"last {p.locale}"


def name_first(rng: random.Random, p: Person) -> Value:
    return p.first, f"first {p.locale}"


def name_initial(rng: random.Random, p: Person) -> Value:
    dot = "." if rng.random() < 0.85 else ""
    return f"{p.first[0]}{dot} {p.last}", f"initial last {p.locale}"


def name_last_first(rng: random.Random, p: Person) -> Value:
    return f"{p.last}, {p.first}", f"last, first {p.locale}"


# ---------------------------------------------------------------- e-mail

PROVIDERS = ["web.de", "gmx.de", "gmx.at", "gmx.net", "t-online.de", "aon.at", "chello.at",
             "outlook.com", "gmail.com", "googlemail.com", "yahoo.de", "posteo.de",
             "mailbox.org", "icloud.com", "freenet.de", "arcor.de", "a1.net", "hotmail.com",
             "online.de", "kabelmail.de"]


def ascii_fold(text: str, german: bool) -> str:
    if german:
        for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("Ä", "Ae"),
                     ("Ö", "Oe"), ("Ü", "Ue")):
            text = text.replace(a, b)
    folded = unicodedata.normalize("NFKD", text).replace("ı", "i").replace("ł", "l")
    return "".join(c for c in folded if not unicodedata.combining(c))


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum() or c == "-").strip("-")


def email(rng: random.Random, p: Person) -> Value:
    keep_accents = rng.random() < 0.3 and not (p.first + p.last).isascii()
    first = p.first if keep_accents else ascii_fold(p.first, rng.random() < 0.7)
    last = p.last if keep_accents else ascii_fold(p.last, rng.random() < 0.7)
    first, last = _slug(first.split()[0]), _slug(last.replace(" ", ""))
    year = str(rng.randint(50, 99) if rng.random() < 0.5 else rng.randint(1950, 2008))
    local = pick(rng, [("f.l", 30), ("fl", 8), ("i.l", 10), ("il", 6), ("l.f", 6), ("f_l", 5),
                       ("f-l", 4), ("fly", 10), ("f.ly", 6), ("f", 5), ("l+tag", 2),
                       ("Fl", 3)])
    local_text = {"f.l": f"{first}.{last}", "fl": f"{first}{last}", "i.l": f"{first[:1]}.{last}",
                  "il": f"{first[:1]}{last}", "l.f": f"{last}.{first}", "f_l": f"{first}_{last}",
                  "f-l": f"{first}-{last}", "fly": f"{first}{last}{year}",
                  "f.ly": f"{first}.{last}{year}", "f": f"{first}{year}",
                  "l+tag": f"{last}+stadt", "Fl": f"{first.title()}.{last.title()}"}[local]
    domain_kind = pick(rng, [("provider", 80), ("idn", 10), ("own", 10)])
    if domain_kind == "provider":
        domain = rng.choice(PROVIDERS)
    elif domain_kind == "idn":  # a family or trade domain with umlauts
        base = _slug(p.last.replace(" ", "")) if not p.last.isascii() else \
            rng.choice(["müller", "schön", "bäcker", "größer", "köhler", "jürgens", "öko"])
        domain = f"{base}-{rng.choice(['bau', 'familie', 'haus', 'garten', 'online'])}." \
                 f"{rng.choice(['de', 'at'])}"
    else:
        domain = f"{_slug(ascii_fold(p.last.replace(' ', ''), True))}." \
                 f"{rng.choice(['de', 'at', 'net', 'info', 'eu'])}"
    name, _, tld = domain.rpartition(".")
    disguise = pick(rng, [("@", 72), (" (at) ", 6), ("(at)", 4), (" [at] ", 4), ("[at]", 2),
                          (" at ", 4), (" (at) | (punkt) ", 3), ("[at]|[dot]", 3),
                          (" (ät) ", 1), (" @ ", 1)])
    if "|" in disguise:  # the dots disguised too: name (at) web (punkt) de
        at, dot = disguise.split("|")
        text = f"{local_text}{at}{name.replace('.', dot)}{dot}{tld}"
    else:
        text = f"{local_text}{disguise}{domain}"
    if rng.random() < 0.05:
        text = text.capitalize()
    accents = "accents " if not text.isascii() else ""
    return text, f"{accents}{local} {domain_kind} '{disguise.strip()}'"


# ---------------------------------------------------------------- street addresses

ROOTS = ["Haupt", "Bahnhof", "Schul", "Garten", "Dorf", "Kirch", "Berg", "Wald", "Linden",
         "Birken", "Goethe", "Schiller", "Mozart", "Beethoven", "Friedhof", "Mühlen", "Wiesen",
         "Feld", "Post", "Markt", "Ring", "Rosen", "Tannen", "Eichen", "Buchen", "Ahorn",
         "Sonnen", "Brunnen", "Burg", "Schloss", "Kloster", "Jahn", "Lessing", "Herder",
         "Uhland", "Mörike", "Körner", "Gutenberg", "Industrie", "Hafen", "Tal", "Hölderlin"]
SUFFIXES = [("straße", 30.0), ("str.", 12.0), ("Str.", 3.0), ("strasse", 4.0), ("weg", 12.0),
            ("gasse", 8.0), ("platz", 5.0), ("allee", 4.0), ("ring", 4.0), ("damm", 2.0),
            ("ufer", 1.0), ("steig", 1.0), ("pfad", 1.0), ("stieg", 1.0), ("graben", 1.0),
            ("zeile", 1.0), ("berg", 1.0), ("markt", 1.0), ("hof", 1.0)]
PLACE_ADJECTIVES = ["Leipziger", "Berliner", "Münchner", "Mariahilfer", "Wiener", "Grazer",
                    "Frankfurter", "Hamburger", "Dresdner", "Linzer", "Kölner", "Bremer"]
MULTI_WORD = ["Am Hang", "Am Markt", "Am Anger", "Am Bach", "Am Wall", "Am Graben",
                "Am Stadtpark", "Am Rain", "Am Sonnenhang", "Am Kirchberg", "Am Eichenhain",
                "An der Linde", "An der Mühle", "An den Eichen", "Auf dem Berg", "Auf der Höhe",
                "Im Winkel", "Im Grund", "In den Gärten", "Zum Bahnhof", "Zur Mühle",
                "Hinter der Kirche", "Unter den Linden", "Beim Schloss", "Vor dem Tor",
                "Am Alten Markt", "Alter Markt", "Neuer Weg", "Lange Reihe", "Große Gasse",
                "Kleine Bergstraße", "Obere Hauptstraße", "Zum Steinbruch", "Im Tal"]
PERSON_STREETS = ["Albert-Schweitzer", "Karl-Marx", "Friedrich-Ebert", "Konrad-Adenauer",
                  "Willy-Brandt", "Theodor-Heuss", "Rosa-Luxemburg", "Sophie-Scholl",
                  "Käthe-Kollwitz", "Robert-Koch", "Max-Planck", "Bertha-von-Suttner",
                  "Heinrich-Heine", "Clara-Zetkin", "Anne-Frank", "Hans-Böckler"]
# (postcode, place): DE five digits, AT four
TOWNS = [("04109", "Leipzig"), ("80331", "München"), ("50667", "Köln"), ("10115", "Berlin"),
         ("01067", "Dresden"), ("70173", "Stuttgart"), ("28195", "Bremen"), ("44135", "Dortmund"),
         ("1070", "Wien"), ("8010", "Graz"), ("4020", "Linz"), ("5020", "Salzburg"),
         ("6020", "Innsbruck"), ("99084", "Erfurt"), ("06108", "Halle (Saale)")]


def _house_number(rng: random.Random, austrian: bool) -> tuple[str, str]:
    n = str(rng.randint(1, 199) if rng.random() < 0.8 else rng.randint(1, 20))
    if austrian and rng.random() < 0.6:
        style = pick(rng, [("n/s/t", 50), ("n/t", 35), ("n/Top t", 15)])
        stair, door = rng.randint(1, 9), rng.randint(1, 40)
        return {"n/s/t": f"{n}/{stair}/{door}", "n/t": f"{n}/{door}",
                "n/Top t": f"{n}/Top {door}"}[style], style
    style = pick(rng, [("n", 75), ("na", 10), ("n a", 5), ("n-m", 5), ("nA", 3), ("n-na", 2)])
    letter = rng.choice("abcd")
    return {"n": n, "na": f"{n}{letter}", "n a": f"{n} {letter}",
            "n-m": f"{n}-{int(n) + 2}", "nA": f"{n}{letter.upper()}",
            "n-na": f"{n}-{n}{letter}"}[style], style


def street_address(rng: random.Random) -> Value:
    kind = pick(rng, [("root+suffix", 55), ("multi-word", 18), ("adjective", 10),
                      ("person", 10), ("austrian gasse", 7)])
    austrian = kind == "austrian gasse"
    if kind == "root+suffix":
        suffix = pick(rng, SUFFIXES)
        street = rng.choice(ROOTS) + suffix
        form = f"-{suffix}"
    elif kind == "multi-word":
        street = rng.choice(MULTI_WORD)
        form = "multi-word"
    elif kind == "adjective":
        street = f"{rng.choice(PLACE_ADJECTIVES)} {pick(rng, [('Straße', 6), ('Str.', 2), ('Allee', 1), ('Platz', 1), ('Gürtel', 1)])}"  # noqa: E501
        form = "Placeer Straße"
        austrian = rng.random() < 0.4
    elif kind == "person":
        street = f"{rng.choice(PERSON_STREETS)}-{pick(rng, [('Straße', 6), ('Str.', 2), ('Platz', 1), ('Allee', 1), ('Weg', 2), ('Ring', 1)])}"  # noqa: E501
        form = "Person-Straße"
    else:
        street = rng.choice(ROOTS) + pick(rng, [("gasse", 6), ("platz", 1), ("zeile", 1)])
        form = "austrian"
    number, number_form = _house_number(rng, austrian)
    gap = " "
    if street.endswith(".") and rng.random() < 0.35:
        gap, form = "", form + " no-gap"
    return f"{street}{gap}{number}", f"{form} {number_form}"


def town(rng: random.Random) -> str:
    """What may follow a street address: nothing, or its postcode and place (not part of
    the planted span: a postcode and place alone identify no one)."""
    if rng.random() < 0.8:
        return ""
    code, place = rng.choice(TOWNS)
    return f", {code} {place}" if rng.random() < 0.8 else f" in {code} {place}"
