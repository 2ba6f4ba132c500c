"""Person names (kind person-name): every listed form found with exact offsets,
and every decoy family left alone (RULES.md section 1, last row)."""

import threading

import pyarrow as pa
import pytest

from publisher.detect import detect, redact
from publisher.detect.name_lists import CALENDAR, FIRST, FIRST_HERE, NOUN, WORD, name_lists
from publisher.detect.names import name_column_share, name_value, prefilter

# (text, the names in it): the value is the name alone, without title or formula
FOUND: dict[str, list[tuple[str, list[str]]]] = {
    "first name + surname": [
        ("gemeldet von Klaus Wagner", ["Klaus Wagner"]),
        ("Klaus Wagner hat angerufen.", ["Klaus Wagner"]),
        ("Laut Anna Schmidt seit Tagen so.", ["Anna Schmidt"]),
        ("Hans-Peter Müller-Lüdenscheidt war vor Ort", ["Hans-Peter Müller-Lüdenscheidt"]),
        ("Anwohnerin Anna von der Heide meldet das", ["Anna von der Heide"]),
        ("Ludwig van Dijk und Maria de Souza waren da", ["Ludwig van Dijk", "Maria de Souza"]),
        ("Anna Maria Schmidt bittet um Rückruf", ["Anna Maria Schmidt"]),
        ("Klaus Peter hat angerufen", ["Klaus Peter"]),
        ("Bitte Rückmeldung an Klaus Koch, danke", ["Klaus Koch"]),
        ("Rose Wagner meldet den Schaden", ["Rose Wagner"]),
    ],
    "other countries of use": [
        ("Gemeldet von Elif Öztürk.", ["Elif Öztürk"]),
        ("Mehmet Yılmaz hat angerufen", ["Mehmet Yılmaz"]),
        ("Łukasz Nowak und Agnieszka Wiśniewska", ["Łukasz Nowak", "Agnieszka Wiśniewska"]),
        ("Rückruf an Giuseppe D'Angelo", ["Giuseppe D'Angelo"]),
        ("Fatima Al-Hassan meldet Müll", ["Fatima Al-Hassan"]),
        ("Mohammed Rahimi war da", ["Mohammed Rahimi"]),
        ("Ivana Kovačević bittet um Antwort", ["Ivana Kovačević"]),
        ("Oleksandr Shevchenko meldet", ["Oleksandr Shevchenko"]),
        ("Ayse Yildiz ohne Sonderzeichen", ["Ayse Yildiz"]),
        ("Juergen Mueller schreibt ohne Umlaut", ["Juergen Mueller"]),
    ],
    "after an address form or title": [
        ("Herr Becker hat angerufen", ["Becker"]),
        ("Familie Krause beschwert sich", ["Krause"]),
        ("Frau Dr. Schmidt war vor Ort", ["Schmidt"]),
        ("Rückruf bei Dr. Krieger erbeten", ["Krieger"]),
        ("Prof. Dr. Anna Weber", ["Anna Weber"]),
        ("Hr. Schönfeld informiert", ["Schönfeld"]),
        ("Fr. Öztürk bittet um Rückruf", ["Öztürk"]),
        ("Sehr geehrter Herr K. Wagner,", ["K. Wagner"]),
        ("Herrn Müller-Lüdenscheidt zur Kenntnis", ["Müller-Lüdenscheidt"]),
        ("Frau Bürgermeisterin Schulz war da", ["Schulz"]),
        ("Herr Richter hat angerufen", ["Richter"]),
        ("Frau Jadzia Piątek meldet", ["Jadzia Piątek"]),
        ("Fam. Kaya wohnt nebenan", ["Kaya"]),
    ],
    "signature after a closing formula": [
        ("Viele Grüße,\nElif Öztürk", ["Elif Öztürk"]),
        ("Laterne kaputt. Mit freundlichen Grüßen\n\nMaria Kowalska", ["Maria Kowalska"]),
        ("Bitte reparieren. MfG Becker", ["Becker"]),
        ("Danke! LG Anna", ["Anna"]),
        ("Gruß Hinteregger", ["Hinteregger"]),
        ("i. A. Müller", ["Müller"]),
        ("i.A. Schmidt", ["Schmidt"]),
        ("Beste Grüße\nIhr Klaus Wagner", ["Klaus Wagner"]),
    ],
    "Nachname, Vorname": [
        ("Wagner, Klaus", ["Wagner, Klaus"]),
        ("Melder: Öztürk, Elif.", ["Öztürk, Elif"]),
        ("Ansprechpartner: Wagner, K.", ["Wagner, K."]),
        ("Kontakt: Scheibe, Dani", ["Scheibe, Dani"]),
    ],
}

NOT_FOUND: dict[str, list[str]] = {
    "streets, schools, bridges, stops and institutions named after people": [
        "Albert-Schweitzer-Schule", "Kaiser-Wilhelm-Straße", "Willy-Brandt-Platz",
        "Haltestelle Karl-Marx-Allee", "Theodor-Heuss-Brücke", "Max-Planck-Institut",
        "Albert Schweitzer Straße", "Willy Brandt Platz", "Karl Marx Allee 12",
        "Vor der Konrad-Adenauer-Str. 5 liegt Müll", "Sophie Scholl Gymnasium",
        "Haltestelle Johann Wolfgang Goethe: Glas", "Station Heinrich Heine Aufzug defekt",
        "Bushaltestelle Rosa Luxemburg verschmutzt", "Marie-Curie-Realschule",
        "am Friedrich Ebert Ring", "Helene Lange Schule", "Anne-Frank-Haus",
    ],
    "shop and firm names": [
        "Bäckerei Müller", "Autohaus Becker", "Metzgerei Klaus Schulz",
        "Die Klaus Meier GmbH hat Schutt abgeladen", "Fa. Hoffmann & Söhne",
        "Blumenhaus Marie Schlagloch", "Lieferverkehr von Weber & Co. blockiert",
        "Praxis Dr. Müller", "Kanzlei Dr. Wagner und Partner",
    ],
    "common nouns that are also surnames": [
        "der Koch", "ein Fischer", "Bauer", "Der Müller der Mühle meldet Hochwasser",
        "Der Schneider im Erdgeschoss", "Unser Hausmeister ist informiert",
        "Frau mit Kind stürzte", "Herr Pfarrer", "Frau Nachbarin", "Fr. Vormittag",
    ],
    "first names that are words or dates": [
        "im August 2024", "Mai", "Rose", "Frank und frei", "im August Bauarbeiten",
        "Seit Mai 2024 defekt", "Im Juli Arbeiten an der Leitung", "Am Freitag wieder Müll",
        "Linde und Rose blühen", "Lieferung, August 2024", "Mai und Juni waren ruhig",
        "Am Montag", "In Berlin Mitte", "Da Bauarbeiten", "Glas, Paul und Papier liegen",
    ],
    "brands": [
        "Ein Mercedes Benz parkt auf dem Radweg", "Vor Hugo Boss Filiale liegt Müll",
        "Werbung von Calvin Klein am Bauzaun", "Mercedes-Benz Sprinter",
    ],
    "place names": [
        "Richtung Maria Enzersdorf Stau", "Ausfahrt Sankt Augustin gesperrt",
        "Wie in Frankfurt am Main", "Fahrt nach Bad Homburg", "Ortsteil Klein Machnow",
    ],
    "saints and holidays": [
        "Sankt Martin", "Nach St. Martin liegt Müll", "Mariä Himmelfahrt",
        "Zu Maria Himmelfahrt geschlossen", "An Christi Himmelfahrt Lärm",
        "Heilige Drei Könige",
    ],
    "closing formulas without a person": [
        "Viele Grüße\nIhr Bürgeramt", "Mit freundlichen Grüßen\nStadtverwaltung Musterstadt",
        "MfG Team Grünflächen", "Viele Grüße aus Berlin", "LG Fernseher am Straßenrand",
    ],
}


def _cases(table: dict[str, list]) -> list:
    return [pytest.param(case, id=f"{family}: {str(case)[:40]}")
            for family, cases in table.items() for case in cases]


@pytest.mark.parametrize("case", _cases(FOUND))
def test_name_found_with_exact_offsets(case):
    text, names = case
    found = detect([text], ["person-name"])
    assert found["value"].tolist() == names
    for start, end, value in zip(found["start"], found["end"], found["value"], strict=True):
        assert text[start:end] == value
        assert found["kind"].eq("person-name").all()


@pytest.mark.parametrize("text", _cases(NOT_FOUND))
def test_decoy_not_found(text):
    found = detect([text], ["person-name"])
    assert found.empty, found["value"].tolist()


def test_every_form_and_family_has_many_examples():
    assert all(len(cases) >= 4 for cases in FOUND.values())
    assert all(len(cases) >= 4 for cases in NOT_FOUND.values())


def test_redact_replaces_the_name_and_keeps_the_title():
    texts = ["Herr Becker hat angerufen", "Viele Grüße,\nElif Öztürk",
             "Albert-Schweitzer-Schule", "Familie Krause, Tel. 0341 4935896"]
    assert redact(texts, ["person-name", "phone"]) == [
        "Herr [NAME] hat angerufen", "Viele Grüße,\n[NAME]", "Albert-Schweitzer-Schule",
        "Familie [NAME], Tel. [PHONE]"]


def test_street_address_wins_an_overlap():
    # "Karl Marx Allee 12" is an address, and no name takes part of it
    found = detect(["wohnt Karl-Marx-Allee 12"])
    assert found["kind"].tolist() == ["street-address"]


def test_prefilter_keeps_only_cells_that_can_hold_a_name():
    column = pa.array(["Laterne flackert.", "Herr Becker hat angerufen", None, "",
                       "Ast auf dem Radweg, Gefahr für Radfahrer.", "Wagner, Klaus",
                       "gemeldet von Hans-Peter Meyer", "Viele Grüße\nAnna"])
    assert prefilter(column).to_pylist() == [False, True, False, False, False, True, True,
                                             True]


@pytest.mark.parametrize("values", [
    ["Wagner", "Klaus Wagner", "Wagner, K.", "Öztürk, Elif", "Müller", "Schmidt",
     "Becker, Anna", "Kowalski", "Yılmaz", "Hoffmann"],
    ["Wagner", "Öztürk", "Kowalczyk", "Hadžić", "Nguyen", "Schulz", "Meier", "Krause",
     "Berisha", "Al-Masri"],
])
def test_a_column_of_bare_names_is_mostly_names(values):
    assert name_column_share(pa.array(values)) >= 0.8


@pytest.mark.parametrize("values", [
    ["Linde", "Eiche", "Ahorn", "Rosskastanie", "Birke", "Platane", "Kiefer", "Buche"],
    ["Tilia cordata", "Acer platanoides", "Quercus robur", "Betula pendula"],
    ["Straßenbeleuchtung", "Spielplatz", "Graffiti", "Müll", "Radweg", "Sonstiges"],
    ["neu", "erledigt", "in Bearbeitung"],
    ["Gohlis", "Connewitz", "Lindenau", "Plagwitz", "Schönefeld", "Paunsdorf", "Mitte"],
    ["Hauptstraße", "Lindenstraße 3", "Am Markt", "Karl-Marx-Allee", "Bahnhofstraße"],
    ["Bäckerei Müller", "Autohaus Becker", "Metzgerei Schulz", "Apotheke am Markt"],
    ["Stadtwerke Musterstadt", "EnBW", "Allego", "Ionity", "Tesla", "E.ON"],
    ["Laterne flackert ständig an und aus, seit Tagen schon, bitte reparieren. " * 2] * 5,
])
def test_columns_of_other_things_are_not(values):
    assert name_column_share(pa.array(values)) < 0.5


def test_name_value_grades():
    assert name_value("Wagner, K.") == 2
    assert name_value("Kowalczyk") == 1  # a word no list knows, and no common word
    assert name_value("Spielplatz") == 0
    assert name_value("") == 0


def test_lists_load_once_and_thread_safe():
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(name_lists())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(x) for x in seen}) == 1
    lists = seen[0]
    assert all(lists.flags(w) & FIRST for w in ("Klaus", "Elif", "Łukasz", "Lukasz", "Juergen"))
    assert lists.flags("klaus") & FIRST_HERE and not lists.flags("Elif") & FIRST_HERE
    assert lists.flags("Rose") & NOUN and lists.flags("Mai") & CALENDAR
    assert lists.flags("kommt") & WORD and not lists.flags("klaus") & WORD
