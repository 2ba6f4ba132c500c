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
# Endings that make a street name as often as a town or a thing ("Birkenberg 11",
# "Schlosshof 3", "Dorfmarkt 31", but "Heidelberg 2019"): taken with house numbers of at
# most three digits, and after a preposition as part of the name ("Am Kirchberg 5").
WEAK_STREET_SUFFIXES = ("berg", "hof", "markt", "graben", "anger", "hain", "reihe", "wall")

# Adjectives that open a street name ("Alter Markt", "Lange Reihe", "Obere Hauptstraße");
# place adjectives in -er ("Berliner Straße") are found by their ending.
STREET_ADJECTIVES = (
    "alte", "alter", "altes", "neue", "neuer", "neues", "große", "großer", "grosse", "grosser",
    "kleine", "kleiner", "lange", "langer", "kurze", "kurzer", "hohe", "hoher", "obere",
    "oberer", "untere", "unterer", "hintere", "hinterer", "vordere", "vorderer", "mittlere",
    "innere", "äußere", "breite", "breiter", "schmale", "krumme", "krummer", "stille",
    "schöne", "weiße", "rote", "roter", "grüne", "grüner", "schwarze", "schwarzer", "heilige",
)
# Words ending in -er that are no place adjective ("wieder Hauptstraße 5").
NOT_ADJECTIVES = (
    "unter", "hinter", "wieder", "immer", "leider", "nummer", "jeder", "dieser", "einer",
    "keiner", "meiner", "deiner", "seiner", "ihrer", "unser", "euer", "über", "vorher",
    "nachher", "später", "außer", "weiter", "sicher", "nochmals", "oder", "aber", "ecke",
    "melder", "anwohner", "nachbar", "bewohner", "mieter",
)

# Nouns that end like a street but name no address ("Parkplatz 3", "Radweg 5").
NOT_STREETS = frozenset((
    "parkplatz", "spielplatz", "sportplatz", "stellplatz", "sitzplatz", "arbeitsplatz",
    "abstellplatz", "bolzplatz", "wertstoffplatz", "containerplatz", "bahnsteig", "radweg",
    "fußweg", "fussweg", "gehweg", "wanderweg", "heimweg", "rückweg", "umweg", "zufahrtsweg",
    "hinweg", "ausweg", "lösungsweg", "rechtsweg", "dienstweg", "kinderspielplatz",
    "campingplatz", "flugplatz", "golfplatz", "tennisplatz", "rastplatz", "wendeplatz",
    "ladeplatz", "fahrradweg", "radfahrweg",
    "gering", "wertstoffhof", "recyclinghof", "bauhof", "betriebshof", "hinterhof",
    "innenhof", "supermarkt", "baumarkt", "getränkemarkt", "wochenmarkt",
    "flohmarkt", "weihnachtsmarkt", "arbeitsmarkt", "wassergraben", "straßengraben",
    "eisberg", "parkhof",
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
    "vorgang", "ticket", "fehler", "punkt", "stelle", "stück", "summe", "wert", "nähe",
    "besten", "meisten", "liebsten", "ehesten", "wenigsten", "häufigsten", "schlimmsten",
    "umfang", "abstand", "umkreis", "radius", "bereich", "sektor", "abschnitt", "teil",
    # text
    "seite", "seiten", "kapitel", "absatz", "paragraph", "paragraf", "artikel", "zeile",
    "spalte", "nummer", "nr", "position", "tabelle", "abbildung", "foto", "bild", "punkte",
    "frage", "antwort", "schritt", "stufe", "level", "runde", "rang", "platz", "klasse",
    # places and things with numbers
    "raum", "zimmer", "saal", "büro", "stock", "stockwerk", "etage", "geschoss",
    "obergeschoss", "untergeschoss", "erdgeschoss", "haus", "gebäude", "block", "halle",
    "trakt", "bau", "eingang", "ausgang", "tür", "fenster", "gleis", "bahnsteig",
    "linie", "bus", "tram", "zug", "feld", "team", "gruppe", "kurs", "schalter", "kasse",
    "fach", "kanal", "modus", "test", "versuch", "netz", "bett", "kreis", "bezirk",
    "wahlkreis", "stadtteil", "ortsteil", "viertel", "quadrant", "lager", "regal", "kw",
    # street furniture and sites a report counts or numbers ("An der Ampel 2")
    "container", "ampel", "kreuzung", "kurve", "haltestelle", "schule", "grundschule",
    "kita", "kindergarten", "mast", "laterne", "baum", "bank", "tonne", "säule",
    "einfahrt", "ausfahrt", "zufahrt", "baustelle", "sperrung", "umleitung", "parkhaus",
))

# Endings of nouns that a number follows as their value, not as a house number
# ("am Straßenrand Bestellnummer 90 555 581 792", "Im Aktenzeichen 12").
NUMBERED_NOUN_ENDINGS = ("nummer", "nr", "nr.", "zeichen", "code", "kennung")

# Units after a number that measures rather than numbers a house ("Radweg 20 m",
# "In der Nacht 3 mal", "Hauptstraße 12 Uhr").
UNITS = (
    "m", "km", "cm", "mm", "qm", "m²", "m2", "ha", "kg", "min", "h", "uhr",
    "%", "prozent", "euro", "eur", "€", "ct", "cent", "mio", "tsd", "grad", "°", "x", "mal",
    "stück", "stk", "meter", "kilometer", "liter", "tonnen",
)
# What a report counts: after a preposition-led name a number followed by one of these
# is a count ("Am Montag 5 Leute", "Im Hof 5 Hunde"), not a house number.
COUNTED = (
    "leute", "personen", "menschen", "kinder", "jugendliche", "erwachsene", "anwohner",
    "besucher", "teilnehmer", "teilnehmende", "autos", "fahrzeuge", "fahrräder", "räder",
    "roller", "lkw", "pkw", "busse", "hunde", "katzen", "ratten", "mäuse", "tauben",
    "krähen", "wildschweine", "tage", "tagen", "wochen", "monate", "monaten", "jahre",
    "jahren", "stunden", "minuten", "sekunden", "unfälle", "beschwerden", "meldungen",
    "anrufe", "fälle", "schlaglöcher", "löcher", "laternen", "lampen", "bänke", "tische",
    "container", "flaschen", "tüten", "säcke", "kartons", "kisten", "reifen", "bäume",
    "äste", "stämme", "schilder", "poller", "pfosten", "zelte", "schaukeln", "geräte",
    "fenster", "türen", "wohnungen", "häuser", "stockwerke", "etagen", "stufen", "plätze",
    "stellplätze", "parkplätze",
)

# Words that may stand after an address led by a preposition when the next sentence
# follows without a stop ("Am Hang 5 Die Laterne ist aus"): articles, pronouns and
# the like, not the counted noun of "Im Park 3 Bänke".
AFTER_ADDRESS = frozenset((
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "ich",
    "wir", "er", "sie", "es", "man", "bitte", "danke", "vielen", "hier", "dort", "da", "schon",
    "seit", "und", "oder", "aber", "in", "im", "am", "an", "auf", "bei", "mit", "von", "vor",
    "nach", "zu", "zum", "zur", "ist", "sind", "war", "wurde", "hat", "wer", "was", "wie",
    "wo", "wann", "warum", "kein", "keine", "mein", "meine", "ihr", "ihre", "unser", "unsere",
    "herr", "frau", "familie", "tel", "telefon", "handy", "mobil", "mail", "e-mail", "email",
    "iban", "hallo", "gruß", "grüße", "viele", "liebe", "sehr", "guten", "dringend",
    "leider", "jetzt", "heute", "gestern", "morgen", "immer", "wieder", "nochmal", "also",
    "ok", "ja", "nein", "tschüss", "mfg", "lg", "vg", "gemeldet", "melder", "melderin",
))

# Words before a number that say it is a phone number ("Tel.", "erreichbar unter").
PHONE_CONTEXT = (
    "tel", "tel.", "telefon", "telefonisch", "telefonnummer", "telefonnr", "telnr", "tel.-nr",
    "tel-nr", "fon", "phone", "handy", "handynummer", "handynr", "mobil", "mobiltelefon",
    "mobilnummer", "mobilnr", "festnetz", "festnetznummer", "rufnummer", "rückruf",
    "rückrufnummer", "erreichbar", "erreichen", "nummer", "unter", "anrufen", "anruf",
    "angerufen", "ruft", "rufen", "rufe", "whatsapp", "sms", "fax", "telefax", "kontakt",
    "kontaktnummer", "durchwahl",
)

# Words before a plate written in lower case with spaces ("kennzeichen ki m 3451",
# "auto (sz 5661 vp)"): only after one of them is such a text taken for a plate.
PLATE_CONTEXT = (
    "kennzeichen", "kfz-kennzeichen", "autokennzeichen", "nummernschild", "autonummer",
    "kennz", "kennz.", "kfz", "pkw", "lkw", "auto", "fahrzeug", "wagen", "transporter",
    "motorrad", "roller", "wohnmobil", "wohnwagen", "anhänger", "falschparker", "kombi",
    "kleinbus", "lieferwagen",
)

# Top-level domains an address written "name at example.de" may end in: after " at "
# spelled out as a bare word, a rarer ending is more likely a sentence.
COMMON_TLDS = frozenset((
    "de", "at", "ch", "li", "lu", "eu", "com", "net", "org", "info", "biz", "io", "me",
    "nl", "be", "fr", "it", "es", "pl", "cz", "sk", "hu", "si", "hr", "tr", "dk", "se",
    "no", "fi", "uk", "us", "ru", "ua", "ro", "bg", "gr", "pt", "online", "email", "edu",
    "gov", "mil", "int", "gv", "ac", "co",
))

# Words before a dotted number that make it a software version ("Firmware 2.2.65.119").
VERSION_WORDS = (
    "version", "vers", "ver", "v", "firmware", "software", "app", "update", "upgrade",
    "browser", "build", "release", "patch", "stand", "revision", "rev", "programm",
    "android", "ios", "windows", "chrome", "firefox", "safari", "edge",
)

# English words that stand before " at " in a sentence ("look at example.com", "available
# at shop.com"): before a bare " at ", such a word is no local part of an address.
BEFORE_AT = frozenset((
    "look", "looking", "looked", "see", "seen", "find", "found", "meet", "met", "visit",
    "visited", "available", "online", "us", "me", "him", "her", "them", "it", "this", "that",
    "arrive", "arrived", "stay", "stayed", "live", "lives", "lived", "work", "works",
    "worked", "based", "located", "held", "posted", "published", "hosted", "listed",
    "sold", "buy", "bought", "order", "ordered", "shop", "shopping", "book", "booked",
    "apply", "register", "registered", "sign", "signed", "log", "logged", "login", "click",
    "go", "went", "come", "came", "be", "is", "are", "was", "were", "been", "am", "and",
    "or", "but", "not", "only", "just", "even", "also", "here", "there", "home", "job",
    "start", "started", "begin", "began", "end", "ended", "stop", "stopped", "aim", "aimed",
    "point", "pointed", "laugh", "laughed", "smile", "smiled", "stare", "stared", "good",
    "bad", "best", "better", "great", "expert", "time", "times", "once", "least", "most",
))
