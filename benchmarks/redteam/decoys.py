"""Look-alikes that a detector must not report, one generator per decoy slot.

Each takes a `random.Random` and the set's `People` and returns `(text, form)`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from stdnum.at import vnr
from stdnum.de import idnr

from .people import People, ascii_fold
from .values import MONTHS, UNKNOWN_DISTRICTS, Value, digits, pick

FAMOUS = ["Albert-Schweitzer", "Willy-Brandt", "Konrad-Adenauer", "Theodor-Heuss",
          "Sophie-Scholl", "Geschwister-Scholl", "Anne-Frank", "Friedrich-Ebert",
          "Rosa-Luxemburg", "Karl-Marx", "Kaiser-Wilhelm", "Otto-von-Bismarck", "Martin-Luther",
          "Johann-Sebastian-Bach", "Clara-Zetkin", "Heinrich-Heine", "Bertha-von-Suttner",
          "Maria-Theresien", "Karl-Renner", "Bruno-Kreisky", "Erich-Kästner", "Hans-Böckler",
          "Robert-Koch", "Marie-Curie", "Gustav-Heinemann", "Carl-Zeiss",
          "Alexander-von-Humboldt", "Wilhelm-Busch", "Max-Planck", "Käthe-Kollwitz"]
PLACE_ENDS = [("Straße", 14.0), ("Str.", 4.0), ("Platz", 8.0), ("Schule", 8.0),
              ("Gymnasium", 5.0), ("Realschule", 3.0), ("Grundschule", 4.0), ("Brücke", 6.0),
              ("Allee", 4.0), ("Ring", 3.0), ("Park", 3.0), ("Halle", 2.0), ("Stadion", 2.0),
              ("Bad", 2.0), ("Haus", 2.0), ("Zentrum", 2.0), ("Klinik", 1.0), ("Hof", 1.0)]


def place(rng: random.Random, people: People) -> Value:
    if rng.random() < 0.6:
        who, source = rng.choice(FAMOUS), "famous"
    else:  # a street named after anyone: the detector cannot know them all
        p = people.person(rng)
        who, source = f"{p.first}-{p.last}".replace(" ", "-"), p.locale
    end = pick(rng, PLACE_ENDS)
    if rng.random() < 0.15:  # written without hyphens, as people do
        return f"{who.replace('-', ' ')} {end}", f"{source} no-hyphens -{end}"
    return f"{who}-{end}", f"{source} -{end}"


SHOPS = ["Bäckerei", "Metzgerei", "Autohaus", "Getränke", "Blumen", "Elektro", "Sanitär",
         "Malerbetrieb", "Fahrschule", "Gasthof", "Friseursalon", "Optik", "Dachdeckerei",
         "Imbiss", "Schreinerei", "Reifen"]


def shop(rng: random.Random, people: People) -> Value:
    p = people.person(rng)
    trade = rng.choice(SHOPS)
    style = pick(rng, [("Trade Last", 60), ("Last Trade", 10), ("Trade Last GmbH", 10),
                       ("Trade Last & Sohn", 5), ("Trade bei First", 10), ("Last's", 5)])
    text = {"Trade Last": f"{trade} {p.last}", "Last Trade": f"{p.last} {trade}",
            "Trade Last GmbH": f"{trade} {p.last} GmbH",
            "Trade Last & Sohn": f"{trade} {p.last} & Sohn",
            "Trade bei First": f"{trade} bei {p.first}", "Last's": f"{p.last}'s {trade}"}[style]
    return text, f"{style} {p.locale}"


# Common nouns that are frequent surnames.
JOBS = ["Koch", "Bauer", "Fischer", "Gärtner", "Schneider", "Jäger", "Schäfer", "Förster",
        "Zimmermann", "Maurer", "Schreiner", "Richter", "Weber", "Müller", "Metzger", "Wirt",
        "Pfarrer", "Schmied", "Meister", "Hausmeister", "Postbote", "Schlosser"]
ANIMALS = ["Fuchs", "Wolf", "Hahn", "Hase", "Vogel", "Storch", "Kranich", "Adler", "Falke",
           "Igel", "Marder", "Dachs", "Biber", "Schwan", "Rabe", "Specht", "Fink"]


def job(rng: random.Random, people: People) -> Value:
    return rng.choice(JOBS), "job"


def animal(rng: random.Random, people: People) -> Value:
    return rng.choice(ANIMALS), "animal"


def month(rng: random.Random, people: People) -> Value:
    name = rng.choice(["August", "Mai", "Juni", "Juli", "April", "Januar", "März"])
    if rng.random() < 0.5:
        return f"{name} {rng.randint(2015, 2025)}", "month year"
    return name, "month"


def plant(rng: random.Random, people: People) -> Value:
    return rng.choice(["Linde", "Heide", "Rose", "Erika", "Iris", "Jasmin", "Margerite",
                       "Birke", "Olive", "Flieder", "Lilie"]), "plant"


def ernst(rng: random.Random, people: People) -> Value:
    return "Ernst", "Ernst"


def kai(rng: random.Random, people: People) -> Value:
    return "Kai", "Kai"


def order(rng: random.Random, people: People) -> Value:
    """Order and file numbers shaped like a tax id or SVNR that fail every checksum."""
    while True:
        shape = pick(rng, [("11 digits", 40), ("2-3-3-3", 15), ("10 digits", 25), ("4-6", 20)])
        n = digits(rng, 11 if shape in ("11 digits", "2-3-3-3") else 10)
        if not (idnr.is_valid(n) or vnr.is_valid(n)):
            break
    text = {"11 digits": n, "2-3-3-3": f"{n[:2]} {n[2:5]} {n[5:8]} {n[8:]}", "10 digits": n,
            "4-6": f"{n[:4]} {n[4:]}"}[shape]
    return text, shape


def date(rng: random.Random, people: People) -> Value:
    year = rng.randint(1950, 2025)
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    style = pick(rng, [("dd.mm.yyyy", 45), ("d.m.yyyy", 15), ("dd.mm.yy", 10),
                       ("yyyy-mm-dd", 10), ("d. Monat yyyy", 15), ("dd.mm.", 5)])
    text = {"dd.mm.yyyy": f"{d:02d}.{m:02d}.{year}", "d.m.yyyy": f"{d}.{m}.{year}",
            "dd.mm.yy": f"{d:02d}.{m:02d}.{year % 100:02d}",
            "yyyy-mm-dd": f"{year}-{m:02d}-{d:02d}",
            "d. Monat yyyy": f"{d}. {MONTHS[m - 1]} {year}", "dd.mm.": f"{d:02d}.{m:02d}."}[style]
    return text, style


def year(rng: random.Random, people: People) -> Value:
    return str(rng.randint(1900, 2024)), "yyyy"


def time(rng: random.Random, people: People) -> Value:
    h, m = rng.randint(0, 23), rng.choice([0, 15, 30, 45, rng.randint(0, 59)])
    style = pick(rng, [("hh:mm", 55), ("h:mm", 20), ("hh:mm:ss", 15), ("hh.mm", 10)])
    text = {"hh:mm": f"{h:02d}:{m:02d}", "h:mm": f"{h}:{m:02d}",
            "hh:mm:ss": f"{h:02d}:{m:02d}:{rng.randint(0, 59):02d}", "hh.mm": f"{h:02d}.{m:02d}"}
    return text[style], style


def stamp(rng: random.Random, people: People) -> Value:
    clock = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
    style = pick(rng, [("iso", 40), ("hh:mm:ss", 30), ("hh:mm:ss.ms", 15), ("range", 15)])
    text = {"iso": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {clock}",
            "hh:mm:ss": clock, "hh:mm:ss.ms": f"{clock}.{rng.randint(0, 999):03d}",
            "range": f"{rng.randint(6, 11):02d}:00-{rng.randint(12, 20):02d}:00"}[style]
    return text, style


def money(rng: random.Random, people: People) -> Value:
    euros = rng.choice([rng.randint(1, 99), rng.randint(100, 9999), rng.randint(10000, 999999)])
    cents = rng.randint(0, 99)
    grouped = f"{euros:,}".replace(",", ".")
    style = pick(rng, [("1.234,56 €", 30), ("1.234 Euro", 25), ("EUR 1.234,56", 15),
                       ("1.234,- €", 10), ("€ 1234", 10), ("1234.56 EUR", 10)])
    text = {"1.234,56 €": f"{grouped},{cents:02d} €", "1.234 Euro": f"{grouped} Euro",
            "EUR 1.234,56": f"EUR {grouped},{cents:02d}", "1.234,- €": f"{grouped},- €",
            "€ 1234": f"€ {euros}", "1234.56 EUR": f"{euros}.{cents:02d} EUR"}[style]
    return text, style


def version(rng: random.Random, people: People) -> Value:
    major, minor, patch = rng.randint(1, 130), rng.randint(0, 20), rng.randint(0, 9999)
    style = pick(rng, [("x.y.z", 50), ("vx.y.z", 15), ("x.y", 15), ("x.y.z.b", 20)])
    text = {"x.y.z": f"{major}.{minor}.{patch % 60}", "vx.y.z": f"v{major}.{minor}.{patch % 60}",
            "x.y": f"{major}.{minor}",
            "x.y.z.b": f"{major}.{minor}.{patch}.{rng.randint(0, 300)}"}[style]
    return text, style


def code(rng: random.Random, people: People) -> Value:
    district = rng.choice(UNKNOWN_DISTRICTS)
    letters = "".join(rng.choice("ABCDEFGHKLMNPRSTUVWXYZ") for _ in range(rng.randint(1, 2)))
    number = rng.randint(1, 9999)
    style = pick(rng, [("XX-LL N", 50), ("XX LL N", 30), ("XX-N LL", 20)])
    text = {"XX-LL N": f"{district}-{letters} {number}",
            "XX LL N": f"{district} {letters} {number}",
            "XX-N LL": f"{district}-{number % 1000} {letters}"}[style]
    return text, style


_WHEN = ["Am Montag", "Am Dienstag", "Am Freitag", "Am Samstag", "Am Sonntag", "Am Wochenende",
         "Am Abend", "Am Morgen", "Im Winter", "Im Sommer", "Im Januar", "In der Nacht",
         "An der Ampel", "An der Kreuzung", "Auf dem Spielplatz", "Im Hof", "Am Ufer"]
_HOW_MANY = ["Leute", "Mal", "Autos", "Kinder", "Personen", "Fahrräder", "Säcke", "Stunden",
             "Jugendliche", "Hunde", "Unfälle", "Beschwerden", "Lkw", "Ratten"]


def count(rng: random.Random, people: People) -> Value:
    return f"{rng.choice(_WHEN)} {rng.randint(2, 40)} {rng.choice(_HOW_MANY)}", "phrase"


_SPOTS = ["Parkplatz", "Spielplatz", "Bahnsteig", "Gleis", "Stellplatz", "Sportplatz",
          "Bolzplatz", "Radweg", "Haus", "Halle", "Eingang", "Raum", "Tor", "Feld", "Sektor",
          "Parkdeck", "Wertstoffhof", "Abschnitt"]


def spot(rng: random.Random, people: People) -> Value:
    name = rng.choice(_SPOTS)
    return f"{name} {rng.randint(1, 40)}", name


_TOWNS = [("04109", "Leipzig"), ("80331", "München"), ("1070", "Wien"), ("8010", "Graz"),
          ("50667", "Köln"), ("01067", "Dresden"), ("4020", "Linz"), ("99084", "Erfurt")]


def postcode(rng: random.Random, people: People) -> Value:
    code_, town = rng.choice(_TOWNS)
    return (f"{code_} {town}", "code town") if rng.random() < 0.7 else (code_, "code")


def url(rng: random.Random, people: People) -> Value:
    town = ascii_fold(rng.choice(_TOWNS)[1].lower(), True)
    path = rng.choice(["maengelmelder", "buergerservice", "abfall", "strassen/baustellen",
                       "formulare?id=" + digits(rng, 5)])
    style = pick(rng, [("www", 50), ("https", 40), ("bare", 10)])
    host = f"www.{town}.de" if "wien" not in town else "www.wien.gv.at"
    text = {"www": f"{host}/{path}", "https": f"https://{host}/{path}",
            "bare": host.removeprefix("www.")}[style]
    return text, style


DECOYS: dict[str, Callable[[random.Random, People], Value]] = {
    "place": place, "shop": shop, "job": job, "animal": animal, "month": month, "plant": plant,
    "ernst": ernst, "kai": kai, "order": order, "date": date, "year": year, "time": time,
    "stamp": stamp, "money": money, "version": version, "code": code, "count": count,
    "spot": spot, "postcode": postcode, "url": url,
}
