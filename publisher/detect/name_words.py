"""The hand-written words around person names (publisher.detect.names): address
forms and titles, the roles, relations, labels and words that announce a name,
name particles, and the words that make a name part of a place, stop, shop,
firm, holiday or brand. German defect reports are the measure; each family has
its tests (tests/detect/test_detect_names.py). Entries are lower case unless
said otherwise; the finder compares case-insensitively, so "HERR" and "herr"
count as "Herr".
"""

ADDRESS = frozenset(("herr", "herrn", "frau", "familie", "ehepaar", "eheleute", "fräulein",
                     "witwe", "mr", "mrs", "ms"))
ADDRESS_ABBR = frozenset(("hr", "fr", "frl", "fam"))  # only with a full stop
ACADEMIC = frozenset(("dr", "prof", "dipl", "ing", "mag", "di", "med", "dent", "vet",
                      "phil", "rer", "nat", "jur", "habil", "professor", "professorin",
                      "doktor", "dres", "mba", "msc", "bsc", "bakk"))
ACADEMIC_NO_DOT = frozenset(("di", "mba", "msc", "bsc", "professor", "professorin", "doktor"))
# Particles written with a capital inside a name ("Laure Le Gall", "Hr. Dos Santos");
# the German ones ("Von", "Der", "Zum") start sentences too often.
CAPITAL_PARTICLES = frozenset(("van", "de", "del", "della", "di", "da", "dos", "du", "le", "la",
                               "al", "el", "ten", "ter", "bin", "ibn", "abu", "dei", "degli",
                               "mac", "mc", "st"))
ARTICLES = frozenset(("der", "den", "dem", "das", "des", "die"))  # particles only after von, van
FAMILY = frozenset(("familie", "fam", "ehepaar", "eheleute"))  # never before an office
PARTICLES = frozenset(("von", "van", "de", "der", "den", "del", "della", "di", "da", "zu",
                       "zum", "zur", "vom", "ten", "ter", "le", "la", "al", "el", "bin",
                       "ibn", "abu", "dos", "das", "du"))

# Who a name belongs to, as a report says it right before the name: offices and
# jobs ("Hausmeister Becker", "Sachbearbeiterin Anna Weber"), neighbours, and
# RELATIONS below ("Nachbar Öztürk", "mein Mann Ali", "meine Tochter Lena"). A noun
# ending in one of these counts too ("Stadtwerke-Mitarbeiter", "Oberbürgermeister"),
# and the feminine forms in -in.
ROLES = frozenset((
    # offices and jobs
    "hausmeister", "hauswart", "hausverwalter", "verwalter", "sachbearbeiter",
    "ansprechpartner", "ansprechperson", "kontaktperson", "mitarbeiter", "kollege", "kollegin",
    "techniker", "monteur", "elektriker", "installateur", "handwerker", "fahrer", "busfahrer",
    "postbote", "briefträger", "zusteller", "paketbote", "gärtner", "förster", "polizist",
    "beamter", "beamte", "beamtin", "schaffner", "lehrer", "erzieher", "leiter", "chef",
    "vorarbeiter", "polier", "bauleiter", "objektbetreuer", "betreuer", "pfleger",
    "minister", "pfarrer", "pastor", "direktor", "präsident", "vorsitzende", "vorsitzender",
    "kommissar", "rektor", "stadtrat", "stadträt", "gemeinderat", "gemeinderät",
    "abgeordnete", "abgeordneter", "richter", "anwalt", "anwält", "rechtsanwalt",
    "rechtsanwält", "dekan", "senator", "landrat", "landrät", "ortsvorsteher",
    "bezirksvorsteher", "bürgermeister", "staatssekretär", "superintendent", "bischof",
    "diakon", "oberst", "leutnant", "inspektor", "sekretär", "referent", "amtsleiter",
    "abteilungsleiter", "doktor", "professor", "kolleg",
    # who reports, lives or owns
    "melder", "meldende", "meldender", "hinweisgeber", "antragsteller", "absender",
    "anwohner", "nachbar", "mieter", "vermieter", "untermieter", "eigentümer", "besitzer",
    "halter", "inhaber", "bewohner", "bürger", "zeuge", "zeugin", "augenzeuge", "passant",
    "spaziergänger", "radfahrer", "fußgänger", "gast", "kunde", "kundin",
))
ROLE_ENDINGS = ("leiter", "leiterin", "mitarbeiter", "mitarbeiterin",
                "beauftragte", "beauftragter", "vorsteher", "vorsteherin", "berater",
                "beraterin", "bearbeiter", "bearbeiterin", "verwalter", "verwalterin")
# Endings of surnames that are also nouns: "Lindemann" is no compound of "Mann".
NAME_ENDINGS = frozenset(("mann", "meier", "maier", "mayer", "meyer", "huber", "hofer", "müller",
                          "berger", "hausen", "bauer", "brecht", "hardt"))
# Family and friends: after "Herr" or "Frau" one of these is a surname ("Herr
# Bruder"), as an office is not ("Herr Pfarrer").
RELATIONS = frozenset((
    "mann", "ehemann", "ehefrau", "gatte", "gattin", "sohn", "tochter", "vater", "mutter",
    "papa", "mama", "bruder", "schwester", "opa", "oma", "großvater", "großmutter", "onkel",
    "tante", "neffe", "nichte", "cousin", "cousine", "enkel", "enkelin", "freund", "freundin",
    "partner", "partnerin", "lebensgefährte", "lebensgefährtin", "schwager", "schwägerin",
    "schwiegersohn", "schwiegertochter", "schwiegervater", "schwiegermutter", "sohnemann",
    "nachbarskind", "nachbarsjunge", "nachbarsmädchen", "kind", "junge", "mädchen",
))
# Labels of a form or a signature block, before a colon or right before the
# name ("Name: Wagner, Klaus", "Melder: Öztürk", "gez. Müller").
LABELS = frozenset(("name", "namen", "vorname", "nachname", "familienname", "kontakt",
                    "melder", "melderin", "meldende", "meldender", "ansprechpartner",
                    "ansprechpartnerin", "kontaktperson", "absender", "absenderin",
                    "antragsteller", "antragstellerin", "verfasser", "verfasserin",
                    "unterschrift", "gez", "bearbeiter", "bearbeiterin", "sachbearbeiter",
                    "sachbearbeiterin"))
# Words after which a run of name-like words is someone's name ("gemeldet von
# Jaromír Novák", "laut Frau Wagner", "Rückmeldung an K. Wagner"); weaker than a
# role: one word alone after them needs to be a known name.
INTRO = frozenset(("von", "laut", "durch", "an", "bei", "mit", "für", "über", "ich", "wir",
                   "per", "vom", "ihr", "ihre", "dein", "deine", "euer", "eure"))
# Closing words (the formulas themselves are a pattern in names.py); for the
# prefilter, any of these before a name-like word makes a cell worth a look.
CLOSING_WORDS = frozenset(("grüße", "grüsse", "grüßen", "grüssen", "gruß", "gruss", "mfg",
                           "lg", "vg", "danke", "dank", "dankeschön", "hochachtungsvoll",
                           "regards", "a", "v", "gez"))
# After a name, in parentheses or after a comma: what the person is ("K. Wagner
# (Anwohner)", "Elif Öztürk, geb. 1.2.1980").
AFTER = frozenset(("anwohner", "anwohnerin", "nachbar", "nachbarin", "mieter", "mieterin",
                   "melder", "melderin", "eigentümer", "eigentümerin", "hausmeister",
                   "hausmeisterin", "bewohner", "bewohnerin", "geb", "geboren", "jg",
                   "jahrgang"))

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
    "ehrenmal", "lyzeum", "bau", "gebäude", "forum", "gemeinschaftsschule",
    "stadtteilschule", "sekundarschule", "kindertagesstätte", "steig", "stieg", "pfad",
))
PLACE_ENDINGS = ("straße", "strasse", "gasse", "allee", "platz", "schule", "gymnasium",
                 "brücke", "bruecke", "halle", "kirche", "klinik", "stadion", "bahnhof",
                 "haltestelle", "ufer", "institut", "zentrum")
FIRM_WORDS = frozenset(("gmbh", "ag", "kg", "ohg", "ug", "mbh", "eg", "ev", "e.v", "se", "co",
                        "söhne", "sohn", "erben", "nachf", "partner", "inh", "ek", "e.k",
                        "gbr", "ltd", "inc"))
# Trades, shops, cinemas and store chains: a name next to one is a shop's
# ("Bäckerei Müller", "Yılmaz Getränke", "Reifen Demir"); nouns ending like
# TRADE_ENDINGS count too.
TRADES = frozenset((
    "bäckerei", "metzgerei", "fleischerei", "autohaus", "getränke", "getränkemarkt",
    "blumen", "blumenladen", "floristik", "elektro", "elektrotechnik", "sanitär", "heizung",
    "malerbetrieb", "maler", "fahrschule", "gasthof", "gasthaus", "gaststätte", "wirtshaus",
    "friseur", "frisör", "friseursalon", "optik", "optiker", "dachdeckerei", "dachdecker",
    "imbiss", "schreinerei", "tischlerei", "reifen", "kfz", "autowerkstatt", "werkstatt",
    "bau", "baustoffe", "transporte", "umzüge", "reinigung", "gebäudereinigung", "pizzeria",
    "döner", "kebap", "kebab", "kiosk", "späti", "pflegedienst", "physiotherapie",
    "immobilien", "versicherungen", "steuerberatung", "apotheke", "café", "cafe", "bistro",
    "restaurant", "hotel", "pension", "salon", "kanzlei", "praxis", "reisebüro", "gärtnerei",
    "brauerei", "weingut", "modehaus", "kaufhaus", "buchhandlung", "supermarkt", "markt",
    "shop", "store", "textil", "textilreinigung", "schneiderei", "schuhe", "schuhhaus",
    "schlüsseldienst", "autoservice", "autopflege", "waschstraße", "tankstelle", "catering",
    "partyservice", "events", "möbel", "küchen", "fliesen", "parkett", "gerüstbau",
    "abschleppdienst", "entrümpelung", "hausmeisterservice", "gartenbau", "landschaftsbau",
    # chains whose shops go by their owner's name ("Edeka Schmidt"); not the chains
    # named after a person, as "Rossmann", nor first names, as "Penny"
    "kino", "theater", "edeka", "rewe", "netto", "lidl", "kaufland", "billa", "spar", "tegut",
))
TRADE_ENDINGS = ("erei", "haus", "laden", "markt", "handel", "studio", "salon", "büro",
                 "werkstatt", "shop", "service", "apotheke", "praxis", "kanzlei", "betrieb",
                 "technik", "dienst", "bau")
# Words right before a name (or the capitalised words leading to it) that make
# it a stop, a place or a saint: "Haltestelle Johann Wolfgang Goethe",
# "Richtung Maria Enzersdorf", "Sankt Martin".
NOT_A_PERSON_BEFORE = frozenset((
    "sankt", "st", "hl", "heilige", "heiliger", "heiligen", "haltestelle", "bushaltestelle",
    "station", "bahnhof", "haltepunkt", "linie", "firma", "fa", "marke", "modell", "schule",
    "gymnasium", "grundschule", "realschule", "stadion", "halle", "brücke", "kirche",
    "richtung", "ortsteil", "stadtteil", "gemeinde", "ort", "bezirk", "ausfahrt", "abfahrt",
    "gemarkung", "landkreis", "kreis", "stadt", "marktgemeinde", "typ", "gleis", "block",
    "trakt", "bauabschnitt", "abschnitt", "kategorie", "klasse", "variante", "plan",
))
HOLIDAY_WORDS = frozenset(("himmelfahrt", "empfängnis", "lichtmess", "verkündigung",
                           "heimsuchung", "geburt", "aufnahme", "tag"))
# (first, second), as written
BRANDS = frozenset((("Mercedes", "Benz"), ("Hugo", "Boss"), ("Calvin", "Klein"),
                    ("Tommy", "Hilfiger"), ("Ralph", "Lauren"), ("Jack", "Wolfskin"),
                    ("Marc", "O'Polo"), ("Jil", "Sander"), ("Karl", "Lagerfeld"),
                    ("Tom", "Tailor"), ("Ernsting", "Family"), ("Google", "Maps"),
                    ("Deutsche", "Bahn"), ("Deutsche", "Post"), ("Deutsche", "Telekom")))
GREETINGS = frozenset(("hallo", "hi", "hey", "servus", "moin", "liebe", "lieber", "liebes",
                       "danke", "sorry", "ja", "nein", "okay", "ok", "tschüss", "ciao", "dear",
                       "grüß", "gruß", "guten", "morgen", "abend", "tag"))
# After "Fr." (also Friday) these are times, not surnames: "Fr. Vormittag".
TIMES_OF_DAY = frozenset(("vormittag", "vormittags", "nachmittag", "nachmittags", "vorm",
                          "nachm", "abend", "abends", "morgen", "morgens", "mittag", "mittags",
                          "nacht", "nachts", "früh", "ganztags", "geschlossen", "offen"))
# Months and weekdays: first names in some countries, dates in German texts.
CALENDAR = frozenset((
    "januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august",
    "september", "oktober", "november", "dezember", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag", "samstag", "sonnabend", "sonntag",
))
