"""Each identifier kind: a positive case, and look-alikes that must not match."""

import pytest

from publisher.detect import KINDS, detect

# kind -> (texts holding one identifier, the identifier), look-alikes
CASES: dict[str, tuple[list[tuple[str, str]], list[str]]] = {
    "email": ([("Rückmeldung an anna.meier@example.de danke", "anna.meier@example.de"),
               ("k.schulz(at)stadt-musterstadt(dot)de", "k.schulz(at)stadt-musterstadt(dot)de")],
              ["a @ b", "user@localhost", "3@5.00", "@stadtverwaltung"]),
    "phone": ([("Rückruf unter +49 341 4935896", "+49 341 4935896"),
               ("Tel. 0341/9515715.", "0341/9515715"),
               ("mobil 0176 47637096", "0176 47637096"),
               ("Wien +43 1 5353535", "+43 1 5353535"),
               ("Salzburg 0043 662 8042", "0043 662 8042")],
              ["Termin 01.02.2024", "Bestellung 12345678", "Preis 0,50 Euro",
               "+1 212 555 0100"]),
    "iban": ([("IBAN DE89 3704 0044 0532 0130 00 bitte", "DE89 3704 0044 0532 0130 00"),
              ("AT611904300234573201", "AT611904300234573201")],
             ["DE89 3704 0044 0532 0130 01", "AB12 3456 7890 1234"]),
    "de-tax-id": ([("Steuer-ID 36 574 261 809.", "36 574 261 809")],
                  ["Bestellnummer 36574261890", "Auftrag 12345678901"]),
    "de-pension-number": ([("RV-Nr. 15070649C103", "15070649C103")],
                          ["Auftrag 15070649C104", "Teil 15139949C103"]),
    "at-svnr": ([("SVNR 1237 010180", "1237 010180")],
                ["Bestellung 2237 010180", "Nummer 1237 019980"]),
    "de-plate": ([("Auto B-AB 1234 parkt", "B-AB 1234"), ("Kennzeichen M AB 12E", "M AB 12E")],
                 ["Code XQ-AB 123", "Bus QQQ AB 12"]),
    "at-plate": ([("Wagen W 12345 A", "W 12345 A"), ("Auto GU-123 AB", "GU-123 AB")],
                 ["Raum QQ 12 AB", "Linie XY-12 AB"]),
    "street-address": ([("wohnt Hauptstraße 12a", "Hauptstraße 12a"),
                        ("Ecke Berliner Straße 5", "Berliner Straße 5"),
                        ("Karl-Marx-Str. 7", "Karl-Marx-Str. 7")],
                       ["Parkplatz 3 gesperrt", "Radweg 20 m weiter", "straße 12"]),
    "date-of-birth": ([("geb. 12.03.1980", "12.03.1980"),
                       ("geboren am 3. März 1975", "3. März 1975"),
                       ("Geburtsdatum: 1961-07-02", "1961-07-02")],
                      ["Termin am 12.03.1980", "geb. 31.02.1980", "geboren am 12.03.2199"]),
    "ip-address": ([("Zugriff von 192.168.0.1.", "192.168.0.1"),
                    ("v6 2001:db8::1 gesehen", "2001:db8::1")],
                   ["Uhrzeit 12:30:00", "Version 1.2.3", "Wert 300.1.2.3"]),
    # the full set of forms and decoy families: tests/detect/test_detect_names.py
    "person-name": ([("gemeldet von Klaus Wagner", "Klaus Wagner"),
                     ("Herr Becker hat angerufen", "Becker")],
                    ["Albert-Schweitzer-Schule", "Bäckerei Müller", "im August 2024"]),
}


def test_every_kind_has_cases():
    assert set(CASES) == set(KINDS)


@pytest.mark.parametrize("name", sorted(CASES))
def test_positives_found_with_offsets(name):
    positives, _ = CASES[name]
    texts = [text for text, _ in positives]
    found = detect(texts, [name])
    assert found["row"].tolist() == list(range(len(texts)))
    for row, (text, value) in enumerate(positives):
        hit = found[found["row"] == row].iloc[0]
        assert hit["kind"] == name
        assert hit["value"] == value
        assert text[hit["start"]:hit["end"]] == value


@pytest.mark.parametrize("name", sorted(CASES))
def test_look_alikes_not_found(name):
    _, negatives = CASES[name]
    found = detect(negatives, [name])
    assert found.empty, found.to_dict("records")


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown identifier kind 'passport'"):
        detect(["x"], ["passport"])
