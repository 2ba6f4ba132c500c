"""Word lists the identifier patterns and their confirmers share (German, some English).

Kept apart from the patterns so that a list can grow without touching a regex.
All entries are lower case; the patterns and checks compare case-insensitively.
"""

from __future__ import annotations

# Words that end a street name: "Hauptstraße", "Karl-Marx-Str.", "Schillergasse".
STREET_SUFFIXES = (
    "straße", "strasse", "str.", "str", "weg", "gasse", "gässchen", "platz", "allee", "ring",
    "damm", "ufer", "chaussee", "promenade", "pfad", "steig", "stieg", "zeile", "kai", "lände",
    "gürtel",
)

# Nouns that end like a street but name no address ("Parkplatz 3", "Radweg 5").
NOT_STREETS = frozenset((
    "parkplatz", "spielplatz", "sportplatz", "stellplatz", "sitzplatz", "arbeitsplatz",
    "abstellplatz", "bolzplatz", "wertstoffplatz", "containerplatz", "bahnsteig", "radweg",
    "fußweg", "fussweg", "gehweg", "feldweg", "waldweg", "wanderweg", "schulweg", "heimweg",
    "rückweg", "umweg", "zufahrtsweg", "hinweg", "ausweg", "lösungsweg", "rechtsweg",
    "dienstweg", "postweg", "kinderspielplatz", "campingplatz", "flugplatz", "golfplatz",
    "tennisplatz", "rastplatz", "wendeplatz", "ladeplatz", "fahrradweg", "radfahrweg",
))

# Prepositions (with their article, where the name needs one) that open a street name
# without a street word: "Am Hang", "An der Linde", "Unter den Linden", "Zur Mühle".
STREET_PREPOSITIONS = ("am", "im", "zum", "zur", "beim", "vorm", "hinterm", "überm", "unterm")
STREET_PREPOSITIONS_WITH_ARTICLE = ("an", "auf", "in", "unter", "hinter", "vor", "über", "zu")
ARTICLES = ("der", "den", "dem", "die", "das")

# What follows "Am", "Im", "Auf dem" ... in ordinary sentences rather than street names:
# days, seasons and spans of time, parts of a text, rooms and places in a building or on
# a line, and phrases ("Zur Kenntnis", "Im Schnitt"). Compared against every capitalised
# word of a preposition-led name.
NOT_STREET_NOUNS = frozenset((
    # time
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "sonnabend", "wochenende", "werktag", "werktagen", "feiertag", "feiertagen", "tag",
    "tage", "tagen", "morgen", "vormittag", "mittag", "nachmittag", "abend", "nacht",
    "woche", "wochen", "monat", "monaten", "jahr", "jahre", "jahren", "jahresverlauf",
    "vorjahr", "vormonat", "quartal", "halbjahr", "schuljahr", "sommer", "winter", "herbst",
    "frühjahr", "frühling", "januar", "jänner", "februar", "märz", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "dezember", "anfang", "ende",
    "beginn", "schluss", "moment", "augenblick", "zeitraum", "laufe", "verlauf", "zuge",
    "zeit", "termin", "datum", "stunde", "stunden", "minute", "minuten", "sekunde", "uhr",
    "schnitt", "durchschnitt", "mittel", "alter", "gegensatz", "vergleich", "rahmen",
    "übrigen", "folgenden", "ganzen", "gesamt", "grunde", "prinzip", "fall", "falle",
    "notfall", "zweifel", "zweifelsfall", "voraus", "nachhinein", "allgemeinen",
    "wesentlichen", "einzelnen", "beispiel", "glück", "thema", "kenntnis", "info",
    "information", "verfügung", "abholung", "prüfung", "bearbeitung", "erinnerung",
    "sicherheit", "vorsicht", "auftrag", "namen", "bezug", "anhang", "anlage", "antrag",
    "vorgang", "ticket", "fehler", "punkt", "stelle", "stück", "summe", "höhe", "wert",
    "umfang", "abstand", "umkreis", "radius", "bereich", "sektor", "abschnitt", "teil",
    # text
    "seite", "seiten", "kapitel", "absatz", "paragraph", "paragraf", "artikel", "zeile",
    "spalte", "nummer", "nr", "position", "tabelle", "abbildung", "foto", "bild", "punkte",
    "frage", "antwort", "schritt", "stufe", "level", "runde", "rang", "platz", "klasse",
    # places and things with numbers
    "raum", "zimmer", "saal", "büro", "stock", "stockwerk", "etage", "geschoss",
    "obergeschoss", "untergeschoss", "erdgeschoss", "haus", "gebäude", "block", "halle",
    "trakt", "bau", "eingang", "ausgang", "tor", "tür", "fenster", "gleis", "bahnsteig",
    "linie", "bus", "tram", "zug", "feld", "team", "gruppe", "kurs", "schalter", "kasse",
    "fach", "kanal", "modus", "test", "versuch", "netz", "bett", "kreis", "bezirk",
    "wahlkreis", "stadtteil", "ortsteil", "viertel", "quadrant", "lager", "regal", "kw",
    # street furniture and sites a report counts or numbers ("An der Ampel 2")
    "container", "ampel", "kreuzung", "kurve", "haltestelle", "schule", "grundschule",
    "kita", "kindergarten", "mast", "laterne", "baum", "bank", "tonne", "säule",
    "einfahrt", "ausfahrt", "zufahrt", "baustelle", "sperrung", "umleitung", "parkhaus",
))

# What a number is followed by when it counts or measures something rather than being
# a house number ("Radweg 20 m", "In der Nacht 3 mal", "Am Montag 5 Leute").
COUNTERS = (
    "m", "km", "cm", "mm", "qm", "m²", "m2", "ha", "kg", "min", "h", "uhr",
    "%", "prozent", "euro", "eur", "€", "ct", "cent", "mio", "tsd", "grad", "°", "x", "mal",
    "stück", "stk", "leute", "personen", "menschen", "kinder", "autos", "fahrzeuge", "tage",
    "tagen", "wochen", "monate", "monaten", "jahre", "jahren", "stunden", "minuten",
    "sekunden", "meter", "kilometer", "teilnehmer", "teilnehmende", "plätze", "bäume",
    "säcke", "tonnen", "liter", "stufen",
)

# Words before a number that say it is a phone number ("Tel.", "erreichbar unter").
PHONE_CONTEXT = (
    "tel", "tel.", "telefon", "telefonisch", "telefonnummer", "telefonnr", "telnr", "tel.-nr",
    "tel-nr", "fon", "phone", "handy", "handynummer", "handynr", "mobil", "mobiltelefon",
    "mobilnummer", "mobilnr", "festnetz", "festnetznummer", "rufnummer", "rückruf",
    "rückrufnummer", "erreichbar", "erreichen", "nummer", "unter", "anrufen", "anruf",
    "angerufen", "ruft", "rufen", "rufe", "whatsapp", "sms", "fax", "telefax", "kontakt",
    "kontaktnummer", "durchwahl",
)

# Top-level domains an address written "name at example dot de" may end in: with both
# "at" and "dot" spelled out as bare words, a rarer ending is more likely a sentence.
COMMON_TLDS = frozenset((
    "de", "at", "ch", "li", "lu", "eu", "com", "net", "org", "info", "biz", "io", "me",
    "nl", "be", "fr", "it", "es", "pl", "cz", "sk", "hu", "si", "hr", "tr", "dk", "se",
    "no", "fi", "uk", "us", "ru", "ua", "ro", "bg", "gr", "pt", "online", "email",
))
