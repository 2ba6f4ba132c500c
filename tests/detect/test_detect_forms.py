"""Identifiers as people write them (issue 16, part 2): every form is found with its
exact span, and every family of look-alikes is not."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.detect import detect


def _only(text: str, kind: str) -> str:
    """The one match of `kind` in `text` (its offsets checked against its value)."""
    found = detect([text], [kind])
    assert len(found) == 1, found.to_dict("records")
    hit = found.iloc[0]
    assert text[hit["start"]:hit["end"]] == hit["value"]
    return str(hit["value"])


def _none(text: str, kind: str) -> None:
    found = detect([text], [kind])
    assert found.empty, found.to_dict("records")


# --- phone numbers

PHONES = [
    ("Handy 0171/1234567", "0171/1234567"),
    ("Tel. (0231) 517 40 17", "(0231) 517 40 17"),
    ("Zentrale +49 (0)89 12345678", "+49 (0)89 12345678"),
    ("+49(0)89/123456 zurückrufen", "+49(0)89/123456"),
    ("+49 (89) 1234567", "+49 (89) 1234567"),
    ("0049 89 1234567", "0049 89 1234567"),
    ("0049-89-1234567", "0049-89-1234567"),
    ("Büro 0341 / 123 45 67 ab 9 Uhr", "0341 / 123 45 67"),
    ("Ruf 0231.5174017 an", "0231.5174017"),
    ("Tel 0341 – 1234567", "0341 – 1234567"),
    ("Fon: 0049 89.86 41 661", "0049 89.86 41 661"),
    ("Tel 0341.123.4567", "0341.123.4567"),
    ("Rückruf unter 0341 1234567.", "0341 1234567"),
    ("Wien +43 (0) 1 5353535", "+43 (0) 1 5353535"),
    ("Zentrale +43 1 53535-0", "+43 1 53535-0"),
    ("mobil: 0664 1234567", "0664 1234567"),
    ("Telefon 0 152 9774 7819.", "0 152 9774 7819"),
    ("Sebnitz (035204) 485 (Handy)", "(035204) 485"),
    ("Jahngasse 196/2/23 +432742915829 (Handy)", "+432742915829"),
    ("geboren 11. Okt. 1934. (07071) 15660", "(07071) 15660"),
]


@pytest.mark.parametrize(("text", "value"), PHONES)
def test_phone_forms(text, value):
    assert _only(text, "phone") == value


# possible but not valid (phonenumbers): counts after a context word, not without one
TYPOS = [
    ("Tel. +49 171 12345", "+49 171 12345"),
    ("Telefon: 0999 1234567", "0999 1234567"),
    ("Er ist erreichbar unter 0110 1234567", "0110 1234567"),
    ("Handy +49 (0)171 12345", "+49 (0)171 12345"),
    ("Mobilnummer: +49 151 123456789", "+49 151 123456789"),
    ("Bitte anrufen, tagsüber 0999 7654321", "0999 7654321"),
    ("RÜCKRUF 0110 1234567", "0110 1234567"),
]


@pytest.mark.parametrize(("text", "value"), TYPOS)
def test_possible_phone_number_counts_after_a_context_word(text, value):
    assert _only(text, "phone") == value
    _none(text[text.index(value):], "phone")


@pytest.mark.parametrize("text", [
    "Vorgang 0999 1234567",
    "Hotel 0999 1234567",  # "tel" inside a word is no context
    "Tel. ist leider seit Wochen kaputt, 0999 1234567",  # too many words between
    "+49 171 12345",
])
def test_possible_phone_number_without_context_is_not_taken(text):
    _none(text, "phone")


@pytest.mark.parametrize("text", [
    "Termin 01.02.2024", "Tel. 05.03.2019", "Am 05.03.2019 gemeldet",  # dates
    "Öffnungszeiten 07.30-16.00 Uhr", "Sprechzeit 08.00 - 12.00",  # times
    "Bestellung 12345678", "Preis 0,50 Euro", "Uhrzeit 08.30 Uhr",  # numbers, amounts
    "PLZ 04109 Leipzig", "Zugriff von 192.168.0.1", "+1 212 555 0100",
    "Steuer-ID 36 574 261 809", "IBAN de89 3704 0044 0532 0130 00", "SVNR 1237 010180",
    "Telefon aufgenommen, gilt für 04109 Leipzig",  # a postcode, even after a context word
])
def test_phone_look_alikes(text):
    _none(text, "phone")


def test_phone_stops_before_a_date_or_amount_after_it():
    assert _only("Tel. 0341 1234567 12.05.2024", "phone") == "0341 1234567"
    assert _only("Tel. 0341 1234567, Preis 12,50", "phone") == "0341 1234567"


# --- IBAN

IBANS = [
    ("IBAN DE89 3704 0044 0532 0130 00 bitte", "DE89 3704 0044 0532 0130 00"),
    ("iban de89 3704 0044 0532 0130 00", "de89 3704 0044 0532 0130 00"),
    ("Konto: de89370400440532013000.", "de89370400440532013000"),
    ("DE89-3704-0044-0532-0130-00", "DE89-3704-0044-0532-0130-00"),
    ("auf DE89.3704.0044.0532.0130.00.", "DE89.3704.0044.0532.0130.00"),
    ("de 89 370 400 440 532 013 000 danke", "de 89 370 400 440 532 013 000"),
    ("IBAN: DE89  3704  0044  0532  0130  00.", "DE89  3704  0044  0532  0130  00"),
    ("at61 1904 3002 3457 3201", "at61 1904 3002 3457 3201"),
    ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
    ("Konto DE89 3704 0044 0532 0130 00 12 Euro", "DE89 3704 0044 0532 0130 00"),
    # a run-on candidate before it ("ab 123 gemeldet. Erstattung ...") does not hide it
    ("Code XQ-AB 123 gemeldet. Erstattung auf DE89 3704 0044 0532 0130 00.",
     "DE89 3704 0044 0532 0130 00"),
]


@pytest.mark.parametrize(("text", "value"), IBANS)
def test_iban_forms(text, value):
    assert _only(text, "iban") == value


@pytest.mark.parametrize("text", [
    "DE89 3704 0044 0532 0130 01", "de89 3704 0044 0532 0130 01",  # checksum
    "AB12 3456 7890 1234", "DE89370400440532013000123",  # no such country, too long
    "Termin am 12.03.2024 verschoben", "es 12 34 56 78 90 12 34 56 78 90 12",
])
def test_iban_look_alikes(text):
    _none(text, "iban")


# --- street and house number

STREETS = [
    ("Hauptstr.12", "Hauptstr.12"),
    ("Lieferung an Hauptstr 3", "Hauptstr 3"),
    ("Hauptstraße12, 04109 Leipzig", "Hauptstraße12"),
    ("Ecke Berliner Straße 5", "Berliner Straße 5"),
    ("Hohe Straße 5", "Hohe Straße 5"),
    ("St.-Anna-Platz 3", "St.-Anna-Platz 3"),
    ("wohnt in der Hauptstraße 12", "Hauptstraße 12"),
    ("Am Hang 5", "Am Hang 5"),
    ("An der Linde 3b", "An der Linde 3b"),
    ("Auf dem Berg 12", "Auf dem Berg 12"),
    ("Zur Mühle 4", "Zur Mühle 4"),
    ("Unter den Linden 77", "Unter den Linden 77"),
    ("Im Winkel 2", "Im Winkel 2"),
    ("An der Alten Mühle 3, 2. Stock", "An der Alten Mühle 3"),
    ("wohnt am Hang 5 seit Jahren", "am Hang 5"),
    ("Schillergasse 12/3/4", "Schillergasse 12/3/4"),
    ("Mariahilfer Straße 45/2/17", "Mariahilfer Straße 45/2/17"),
    ("Rossauer Lände 3", "Rossauer Lände 3"),
    ("Hauptstraße 12-14", "Hauptstraße 12-14"),
    ("Hauptstraße 12 - 14", "Hauptstraße 12 - 14"),
    ("Hauptstraße 12 a", "Hauptstraße 12 a"),
    ("Herdergasse 11/Top 7", "Herdergasse 11/Top 7"),
    ("direkt vor dem haus lessingstrasse 3.", "lessingstrasse 3"),
    ("standort: rosenstr.129b; danke", "rosenstr.129b"),
    ("einfahrt kleine bergstraße 168 zugeparkt", "kleine bergstraße 168"),
    ("WOHNHAFT HAFENZEILE 16, 10115 BERLIN", "HAFENZEILE 16"),
    ("bei Dorfmarkt 31", "Dorfmarkt 31"),
    ("vor dem Haus Birkenberg 11", "Birkenberg 11"),
    ("Obere Hauptstraße 12", "Obere Hauptstraße 12"),
    ("Alter Markt 169", "Alter Markt 169"),
    ("Lange Reihe 14", "Lange Reihe 14"),
    ("Neuer Weg 3", "Neuer Weg 3"),
    ("wohnhaft Vor dem Tor 116.", "Vor dem Tor 116"),
    ("Anschrift Auf der Höhe 2.", "Auf der Höhe 2"),
    ("Am Kirchberg 24", "Am Kirchberg 24"),
    ("Adresse: Am Rain 3\n\nKosten 58,65 €", "Am Rain 3"),
    ("Am Hang 5 Die Laterne ist aus", "Am Hang 5"),
    ("Schulweg 1B zugeparkt", "Schulweg 1B"),
    ("Goethestraße 27 Pkw mit Kennzeichen", "Goethestraße 27"),
]


@pytest.mark.parametrize(("text", "value"), STREETS)
def test_street_forms(text, value):
    assert _only(text, "street-address") == value


@pytest.mark.parametrize("text", [
    # ordinary phrases after a preposition
    "Am Montag 5 Leute", "Am Wochenende 3 Autos", "In der Nacht 3 mal", "Im Jahr 2019",
    "im Sommer 2020", "Auf Seite 5", "Zur Kenntnis 2", "Zum Beispiel 3", "Am Ende 3 Stück",
    "Im Raum 5", "Im Park 3 Bänke", "Am 12.05.", "Auf Platz 3", "in der KW 12",
    "An der Ampel 2", "neben dem Container 3", "Unter der Brücke 3 Zelte",
    # numbered things that are no street
    "Linie 5", "Parkplatz 3", "Am Sportplatz 3", "Radweg 20 m", "Platz 3", "straße 12",
    "Zimmer 12", "Hausnummer 12",
    # times, amounts and dates after a street
    "Hauptstraße 12:30 Uhr", "Ab Hauptstraße 5,50 Euro", "Hauptstraße 12.05.2024",
    "Am Montag um 10:30", "Um 12 Uhr",
    # counts, also in a text typed in lower case
    "am montag 5 leute", "Im Hof 5 Hunde", "an der kreuzung 4 unfälle", "Am Ufer 12 Leute",
    "Auf dem Spielplatz 3 Kinder", "Wertstoffhof 12", "Heidelberg 2019",
    "der Schaden ist gering 3", "parkt im halteverbot Parkplatz 28",
    "liegt am Straßenrand Bestellnummer 90 555 581 792",
])
def test_street_look_alikes(text):
    _none(text, "street-address")


# --- date of birth

BIRTH_DATES = [
    ("Anna Müller * 12.5.1980", "12.5.1980"),
    ("Anna Müller (*12.05.80)", "12.05.80"),
    ("Anna Müller, *12.05.80", "12.05.80"),
    ("Anna Müller (* 12.05.1980)", "12.05.1980"),
    ("geboren 12.5.80", "12.5.80"),
    ("Herr X geb.12.5.1980", "12.5.1980"),
    ("geb. am 1.2.1970", "1.2.1970"),
    ("Jg. 1975", "1975"),
    ("Jahrgang 1975, wohnhaft", "1975"),
    ("Melderin, Jg. '75", "'75"),
    ("Jg. 12.5.1975", "12.5.1975"),
    ("Jg. 75", "75"),
    ("* 14.12.1927.", "14.12.1927"),
    ("Guten Tag,\n\n* 2. Oktober 1999", "2. Oktober 1999"),
    ("geboren 11. Okt. 1934.", "11. Okt. 1934"),
    ("Herr Lang (geb. 8. Mär. 1944)", "8. Mär. 1944"),
    ("Geburtsdatum: 22.Januar 1985!!", "22.Januar 1985"),
    ("ich bin am 24.08.47 geboren", "24.08.47"),
    ("Jg.38. Ortsteil 1070 Wien", "38"),
]


@pytest.mark.parametrize(("text", "value"), BIRTH_DATES)
def test_birth_date_forms(text, value):
    assert _only(text, "date-of-birth") == value


@pytest.mark.parametrize("text", [
    "Preis* 12.5.2019", "Bürger*innen 12.5.2019",  # a footnote or gender star
    "Jahrgangsstufe 1975", "Jahrgang 2199", "geb. 1975",  # a year without Jg.
    "Termin am 12.03.1980", "geb. 31.02.1980", "am 12.03.2020 wurde er geboren",
    "Sperrung ab 06.06.1995 geboren am",  # "geboren am" opens the next date
])
def test_birth_date_look_alikes(text):
    _none(text, "date-of-birth")


# --- e-mail

EMAILS = [
    ("jürgen.groß@example.de", "jürgen.groß@example.de"),
    ("Mail: anna@müller.de.", "anna@müller.de"),
    ("ÖZTÜRK.ELİF@gmx.at", "ÖZTÜRK.ELİF@gmx.at"),
    ("an x@xn--mller-kva.de", "x@xn--mller-kva.de"),
    ("name (at) example (punkt) de", "name (at) example (punkt) de"),
    ("name [at] example [dot] de", "name [at] example [dot] de"),
    ("name(at)example.de", "name(at)example.de"),
    ("name [at] example.de", "name [at] example.de"),
    ("name at example dot de", "name at example dot de"),
    ("Name AT Example DOT de bitte", "Name AT Example DOT de"),
    ("name at example punkt de", "name at example punkt de"),
    ("vorname.nachname at stadt-musterstadt.de", "vorname.nachname at stadt-musterstadt.de"),
    ("per Mail an nboerner at outlook.com", "nboerner at outlook.com"),
    ("(goncaloalves at gmx.at)", "goncaloalves at gmx.at"),
    ("name@example (punkt) de", "name@example (punkt) de"),
    ("anna @ example.de", "anna @ example.de"),
]


@pytest.mark.parametrize(("text", "value"), EMAILS)
def test_email_forms(text, value):
    assert _only(text, "email") == value


@pytest.mark.parametrize("text", [
    "look at example.com", "available at shop.com", "meet me at home dot",
    "Wir sehen uns at the station. Dot",
    "we met at example dot cheap stuff", "Treffen am Rathaus (at) 10 Uhr",
    "a @ b", "user@localhost", "3@5.00", "@stadtverwaltung",
    f"{'x' * 65}@example.de",  # local part longer than 64
])
def test_email_look_alikes(text):
    _none(text, "email")


# --- IPv6

IPV6 = [
    ("v6 2001:db8::1 gesehen", "2001:db8::1"),
    ("2001:0DB8:85A3:0000:0000:8A2E:0370:7334", "2001:0DB8:85A3:0000:0000:8A2E:0370:7334"),
    ("Quelle 2001:DB8::8A2E:370:7334.", "2001:DB8::8A2E:370:7334"),
    ("mapped ::ffff:192.0.2.1", "::ffff:192.0.2.1"),
    ("link fe80::1%eth0 lokal", "fe80::1%eth0"),
    ("[2001:db8::1]:8080", "2001:db8::1"),
    ("http://[2001:db8::42]:8080/x", "2001:db8::42"),
    ("Server 10.0.0.1:8080", "10.0.0.1"),
    ("(IP:192.168.229.166).", "192.168.229.166"),
    ("ip-adresse:2003:e2:19b5:2c0c:4b07:8720:8ebe:fdf2 bitte",
     "2003:e2:19b5:2c0c:4b07:8720:8ebe:fdf2"),
]


@pytest.mark.parametrize(("text", "value"), IPV6)
def test_ip_address_forms(text, value):
    assert _only(text, "ip-address") == value


@pytest.mark.parametrize("text", [
    "Uhrzeit 12:30:00", "Zeit 12:30:00:00",  # clock times
    "MAC 00:1A:2B:3C:4D:5E", "EUI 00:1a:2b:3c:4d:5e:6f:70",  # hardware addresses
    "Verhältnis 3:1:2", "Spiel 2:1", "Version 1.2.3",
    # versions with four parts
    "Firmware 2.2.65.119", "gemeldet mit der App 95.11.213.135", "VERSION 29.16.57.49",
    "Update 105.5.134.217 installiert",
])
def test_ip_address_look_alikes(text):
    _none(text, "ip-address")


# --- kinds side by side: the new forms do not eat each other

# the kinds found by a pattern (person names, found from name lists, are tested apart)
PATTERN_KINDS = ["email", "iban", "de-pension-number", "at-svnr", "de-tax-id", "ip-address",
                 "phone", "de-plate", "at-plate", "date-of-birth", "street-address"]

@pytest.mark.parametrize(("text", "expected"), [
    ("Tel. 0341 1234567, geb. 12.05.1980",
     [("phone", "0341 1234567"), ("date-of-birth", "12.05.1980")]),
    ("Tel. 0341 1234567 12.05.2024", [("phone", "0341 1234567")]),
    ("IBAN de89 3704 0044 0532 0130 00", [("iban", "de89 3704 0044 0532 0130 00")]),
    ("Tel. 0341 1234567 de89 3704 0044 0532 0130 00",
     [("phone", "0341 1234567"), ("iban", "de89 3704 0044 0532 0130 00")]),
    ("Steuer-ID 36 574 261 809, Tel. 0341 1234567",
     [("de-tax-id", "36 574 261 809"), ("phone", "0341 1234567")]),
    ("Anna Müller (* 12.5.1980), Am Hang 5",
     [("date-of-birth", "12.5.1980"), ("street-address", "Am Hang 5")]),
    ("Hauptstraße 12, geb. 12.05.1980",
     [("street-address", "Hauptstraße 12"), ("date-of-birth", "12.05.1980")]),
    ("Hauptstraße 12.05.1980", []),
    ("ICH BIN AM 3.1.1944 GEBOREN", [("date-of-birth", "3.1.1944")]),
    ("Kontakt: name (at) example (punkt) de oder 0171/1234567",
     [("email", "name (at) example (punkt) de"), ("phone", "0171/1234567")]),
])
def test_kinds_side_by_side(text, expected):
    found = detect([text], PATTERN_KINDS)
    assert list(zip(found["kind"], found["value"], strict=True)) == expected


# --- every pattern stays linear in its input

@pytest.mark.parametrize(("filler", "size"), [
    ("A.", 1_000_000), ("Am ", 250_000), ("a at ", 250_000), ("0 ", 250_000),
    ("Hohe ", 250_000), ("geb. ", 250_000), ("de89 ", 250_000), ("1:", 250_000),
])
def test_a_long_cell_is_scanned(filler, size):
    # Each identifier before and after a long run that every prefilter lets through:
    # a pattern that backtracks badly (quadratic or worse) would not finish here.
    head = "Tel. 0171/1234567, x@example.de, Hauptstr.12, * 12.5.1980, fe80::1 "
    cell = head + filler * (size // len(filler)) + " " + head
    found = detect([cell], PATTERN_KINDS)
    kinds = ["phone", "email", "street-address", "date-of-birth", "ip-address"]
    assert found["kind"].tolist() == kinds + kinds


# --- any text: no error, and every span is its value

_PIECES = ["Tel. ", "0", "1", "7", "9", " ", "/", "-", ".", "(0)", "(", ")", "+49", "0043",
           "@", "(at)", " at ", " dot ", "[punkt]", "ü", "ß", "x", "DE", "de89", "Straße",
           "str.", "Am ", "An der ", "Hang", "*", "geb.", "Jg. ", ":", "::", "%", "ff", "\n",
           "İ", "xn--", ",", "1980", "12.5."]


_TEXT = st.lists(st.sampled_from(_PIECES) | st.text(max_size=3), max_size=40).map("".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=30))
def test_any_text_scans_without_error_and_spans_hold_their_values(texts):
    found = detect(texts)
    for row, start, end, value in zip(found["row"], found["start"], found["end"],
                                      found["value"], strict=True):
        assert texts[row][start:end] == value


# --- the checksummed numbers and plates in their other groupings

OTHER_FORMS = [
    ("de-tax-id", "Identifikationsnummer: 651 187 934 23.", "651 187 934 23"),
    ("de-pension-number", "Versicherungsnummer 15070649c103", "15070649c103"),
    ("de-pension-number", "meine Rentennummer ist 15-070649-C-103!!", "15-070649-C-103"),
    ("at-svnr", "SV-Nr. 1237 01 01 80.", "1237 01 01 80"),
    ("at-svnr", "meine SVNR ist 1237/010180.", "1237/010180"),
    ("at-svnr", "SV-Nummer: 1237-010180", "1237-010180"),
    ("de-plate", "Pkw bt-yc 5973 parkt seit Tagen hier", "bt-yc 5973"),
    ("de-plate", "Auto (RV - F 6163) steht auf dem Gehweg", "RV - F 6163"),
    ("at-plate", "Falschparker KL-HANS 19.", "KL-HANS 19"),
    ("at-plate", "der lieferwagen lb-6391 oy steht auf dem gehsteig", "lb-6391 oy"),
]


@pytest.mark.parametrize(("kind", "text", "value"), OTHER_FORMS)
def test_other_kinds_in_other_groupings(kind, text, value):
    assert _only(text, kind) == value


@pytest.mark.parametrize(("kind", "text"), [
    ("de-tax-id", "Auftrag 651 187 934 24"), ("de-pension-number", "Vorgang 15070649c104"),
    ("at-svnr", "Bestellung 2237 01 01 80"), ("de-plate", "Code xq-ab 123"),
    ("at-plate", "Modell XQ-ANNA 12"),
])
def test_other_kinds_look_alikes(kind, text):
    _none(text, kind)
