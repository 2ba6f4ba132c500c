"""The hand-written words around person names (publisher.detect.names): address
forms and titles, name particles, and the words that make a name part of a
place, stop, shop, firm, holiday or brand, or an office rather than a surname.
German city texts are the measure; each family has its decoy tests
(tests/detect/test_detect_names.py).
"""

ADDRESS = frozenset(("Herr", "Herrn", "Frau", "Familie", "Ehepaar", "Eheleute", "Fräulein",
                     "Witwe", "Mr", "Mrs", "Ms"))
ADDRESS_ABBR = frozenset(("Hr", "Fr", "Frl", "Fam"))  # only with a full stop
ACADEMIC = frozenset(("Dr", "Prof", "Dipl", "Ing", "Mag", "DI", "med", "dent", "vet",
                      "phil", "rer", "nat", "jur", "habil", "Professor", "Professorin",
                      "Doktor", "Dres", "MBA", "MSc", "BSc", "Bakk"))
ACADEMIC_NO_DOT = frozenset(("DI", "MBA", "MSc", "BSc", "Professor", "Professorin",
                             "Doktor"))
PARTICLES = frozenset(("von", "van", "de", "der", "den", "del", "della", "di", "da", "zu",
                       "zum", "zur", "vom", "ten", "ter", "le", "la", "al", "el", "bin",
                       "ibn", "abu", "dos", "das", "du"))
# Words that make the name next to them part of a place, stop, shop or holiday.
PLACE_WORDS = frozenset((
    "straße", "strasse", "str", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer",
    "kai", "brücke", "bruecke", "steg", "tunnel", "chaussee", "promenade", "pfad", "zeile",
    "gürtel", "schule", "grundschule", "oberschule", "realschule", "gymnasium",
    "gesamtschule", "mittelschule", "hauptschule", "förderschule", "berufsschule",
    "volksschule", "kolleg", "akademie", "universität", "hochschule", "institut", "klinik",
    "klinikum", "krankenhaus", "spital", "haus", "heim", "halle", "sporthalle", "stadion",
    "arena", "bad", "park", "garten", "anlage", "kaserne", "kirche", "kapelle", "dom",
    "stift", "stiftung", "preis", "denkmal", "museum", "bibliothek", "bücherei", "theater",
    "saal", "center", "zentrum", "hof", "markt", "siedlung", "viertel", "quartier", "tor",
    "turm", "apotheke", "kita", "kindergarten", "hort", "bahnhof", "haltestelle",
    "station", "brunnen", "höhe", "berg", "wall", "graben", "insel", "bogen", "eck",
    "ecke", "werk", "werke", "gesellschaft", "verein", "club", "campus", "hütte", "warte",
    "passage", "galerie", "arkaden", "wiese", "hain", "flughafen", "gedenkstätte",
    "ehrenmal", "oberschule", "lyzeum", "bau", "gebäude", "saal", "forum", "kolleg",
    "gemeinschaftsschule", "stadtteilschule", "sekundarschule", "kindertagesstätte",
))
PLACE_ENDINGS = ("straße", "strasse", "gasse", "allee", "platz", "schule", "gymnasium",
                 "brücke", "bruecke", "halle", "kirche", "klinik", "stadion", "bahnhof",
                 "haltestelle", "ufer", "institut", "zentrum")
FIRM_WORDS = frozenset(("gmbh", "ag", "kg", "ohg", "ug", "mbh", "eg", "ev", "se", "co",
                        "söhne", "sohn", "erben", "nachf", "partner", "inh", "ek"))
NOT_A_PERSON_BEFORE = frozenset((
    "sankt", "st", "hl", "heilige", "heiliger", "heiligen", "haltestelle", "bushaltestelle",
    "station", "bahnhof", "haltepunkt", "linie", "bäckerei", "metzgerei", "fleischerei",
    "autohaus", "apotheke", "firma", "fa", "gaststätte", "restaurant", "café", "cafe",
    "hotel", "pension", "friseur", "salon", "kanzlei", "praxis", "reisebüro", "optik",
    "schreinerei", "tischlerei", "gärtnerei", "brauerei", "weingut", "autowerkstatt",
    "werkstatt", "modehaus", "kaufhaus", "buchhandlung", "marke", "modell", "schule",
    "gymnasium", "grundschule", "realschule", "stadion", "halle", "brücke", "kirche",
    "richtung", "ortsteil", "stadtteil", "gemeinde", "ort", "bezirk", "ausfahrt", "abfahrt",
    "gemarkung", "landkreis", "kreis", "stadt", "markt", "marktgemeinde",
))
TRADE_ENDINGS = ("erei", "haus", "laden", "markt", "handel", "studio", "salon", "büro",
                 "werkstatt", "shop", "service", "apotheke", "praxis", "kanzlei")
HOLIDAY_WORDS = frozenset(("Himmelfahrt", "Empfängnis", "Lichtmess", "Verkündigung",
                           "Heimsuchung", "Geburt", "Aufnahme", "Tag"))
BRANDS = frozenset((("Mercedes", "Benz"), ("Hugo", "Boss"), ("Calvin", "Klein"),
                    ("Tommy", "Hilfiger"), ("Ralph", "Lauren"), ("Jack", "Wolfskin"),
                    ("Marc", "O'Polo"), ("Jil", "Sander"), ("Karl", "Lagerfeld"),
                    ("Tom", "Tailor"), ("Ernsting", "Family")))
GREETINGS = frozenset(("Hallo", "Hi", "Hey", "Servus", "Moin", "Liebe", "Lieber", "Danke",
                       "Sorry", "Ja", "Nein", "Okay", "Ok", "Tschüss", "Ciao", "Dear"))
# Offices and relations that stand between an address form and a name (their
# feminine forms in -in count too): "Frau Ministerin Schulz", "Herr Pfarrer Meyer".
ROLES = frozenset(("Doktor", "Professor", "Kollege", "Kolleg", "Nachbar", "Minister",
                   "Pfarrer", "Pastor", "Direktor", "Präsident", "Vorsitzende",
                   "Vorsitzender", "Kommissar", "Rektor", "Stadtrat", "Stadträt",
                   "Abgeordnete", "Abgeordneter", "Richter", "Anwalt", "Anwält", "Dekan",
                   "Senator", "Landrat", "Landrät", "Ortsvorsteher", "Bezirksvorsteher",
                   "Staatssekretär", "Superintendent", "Bischof", "Diakon",
                   "Oberst", "Leutnant", "Inspektor", "Sekretär",
                   "Referent", "Sachbearbeiter", "Amtsleiter", "Abteilungsleiter"))
