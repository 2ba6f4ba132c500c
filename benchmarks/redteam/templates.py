"""Sentences of defect reports, written the way citizens write them.

A template is a string with slots in braces. An identifier slot plants a
value of a kind (ground truth); a decoy slot plants a look-alike that must
not be found. A template that starts with "^" opens a text (a greeting), one
that starts with "$" closes it (a signature). The sentences were written from
how people write to a city, not from what the detector looks for.
"""

from __future__ import annotations

# slot -> kind it plants
IDENTIFIER_SLOTS = {
    "full": "person-name", "last": "person-name", "first": "person-name",
    "ilast": "person-name", "lastfirst": "person-name",
    "phone": "phone", "phonex": "phone", "iban": "iban", "taxid": "de-tax-id",
    "pension": "de-pension-number", "svnr": "at-svnr", "deplate": "de-plate",
    "atplate": "at-plate", "ip": "ip-address", "dob": "date-of-birth", "jg": "date-of-birth",
    "email": "email", "address": "street-address",
}

# Templates by the kind they are drawn for (a template may plant more than one).
IDENTIFIER_TEMPLATES: dict[str, list[str]] = {
    "person-name": [
        "Herr {last} hat angerufen", "Frau {last} hat sich beschwert",
        "gemeldet von {full}", "Meldung von {full} aus dem Nachbarhaus",
        "$Viele Grüße,\n{full}", "$Viele Grüße\n{full}", "$Mit freundlichen Grüßen\n{full}",
        "$MfG {ilast}", "$MfG\n{full}", "$LG {first}", "$Liebe Grüße, {first}",
        "$Gruß {full}", "$Beste Grüße\n{ilast}", "$i. A. {full}", "$Danke, {full}",
        "Familie {last} beschwert sich über den Lärm", "Frau Dr. {last} bittet um Rückmeldung",
        "Herr Prof. {last} fragt nach", "Hr. {last} wartet auf Antwort",
        "Fr. {last} meldet das schon zum dritten Mal", "^Hallo Frau {last},",
        "^Sehr geehrter Herr {last},", "^Sehr geehrte Frau {last},", "^Guten Tag Herr {last},",
        "Melder: {lastfirst}", "Name: {lastfirst}", "Ansprechpartner {full}",
        "Der Nachbar {full} hat das auch gesehen", "{full} meldet: Laterne aus",
        "laut {full} schon seit Wochen", "Ich, {full}, wohne direkt daneben",
        "Mein Mann {first} hat es fotografiert", "Bitte an Herrn {last} weiterleiten",
        "Rückmeldung bitte an {ilast}", "Hausmeister {last} weiß Bescheid",
        "Die Hausverwaltung (Frau {last}) ist informiert", "{ilast} (Anwohner)",
        "von {full} per Telefon aufgenommen", "Kontaktperson: {full}",
        "Sachbearbeiterin {full} hat das weitergegeben", "Meldung durch {lastfirst}",
    ],
    "phone": [
        "Tel. {phonex}", "Tel.: {phonex}", "Tel {phonex}", "Telefon {phonex}",
        "Telefon: {phonex}", "Telefonnummer {phonex}", "Handy {phonex}", "Handy: {phonex}",
        "mobil {phonex}", "Mobil: {phonex}", "erreichbar unter {phonex}",
        "Ich bin unter {phone} erreichbar", "Bitte um Rückruf unter {phonex}",
        "Rückruf {phonex}", "Rückrufnummer: {phonex}", "meine Nummer: {phonex}",
        "Nummer {phonex}", "bitte unter {phone} melden", "für Rückfragen {phone}",
        "Kontakt {phone}", "WhatsApp {phone}", "{phone} (Handy)", "Festnetz {phone}",
        "Falls Fragen: {phone}", "Sie können mich anrufen: {phone}",
        "tagsüber erreichbar {phonex}, abends {phone}", "(Tel. {phonex})",
        "Bei Rückfragen gerne anrufen, {phone}", "T: {phone}", "Fon {phone}",
    ],
    "iban": [
        "IBAN {iban}", "IBAN: {iban}", "Bankverbindung: {iban}",
        "bitte auf mein Konto {iban} überweisen", "Erstattung an {iban}",
        "Kontonummer (IBAN) {iban}", "Konto: {iban}", "Rückzahlung bitte auf {iban}",
        "die Gebühr wurde von {iban} abgebucht", "mein Konto ist {iban}",
        "Überweisung auf {iban} bitte", "{iban} (Sparkasse)", "iban {iban}",
    ],
    "de-tax-id": [
        "Steuer-ID {taxid}", "Steuer-ID: {taxid}", "Steueridentifikationsnummer {taxid}",
        "IdNr. {taxid}", "meine Steuer-Identifikationsnummer lautet {taxid}",
        "Steuernummer {taxid}", "St-IdNr {taxid}", "Identifikationsnummer: {taxid}",
        "für den Antrag: {taxid}", "Steuer ID {taxid}",
    ],
    "de-pension-number": [
        "RV-Nummer {pension}", "Rentenversicherungsnummer: {pension}",
        "Versicherungsnummer {pension}", "SV-Nummer {pension}",
        "Sozialversicherungsnummer {pension}", "meine Rentennummer ist {pension}",
        "RVNR {pension}", "Nr. der Rentenversicherung {pension}", "(Vers.-Nr. {pension})",
    ],
    "at-svnr": [
        "SVNR {svnr}", "SV-Nr. {svnr}", "Sozialversicherungsnummer {svnr}",
        "Versicherungsnummer: {svnr}", "e-card Nummer {svnr}", "SV-Nummer: {svnr}",
        "meine SVNR ist {svnr}", "Sozialvers.-Nr. {svnr}", "(SVNR {svnr})",
    ],
    "de-plate": [
        "Falschparker {deplate}", "Kennzeichen {deplate}", "Fahrzeug mit dem Kennzeichen {deplate}",
        "Pkw {deplate} parkt seit Tagen hier", "Auto ({deplate}) steht auf dem Gehweg",
        "das Fahrzeug {deplate} blockiert die Einfahrt", "{deplate} steht im Halteverbot",
        "Transporter {deplate} lädt jeden Morgen auf dem Radweg",
        "Schrottauto ohne TÜV, Kennz. {deplate}", "der weiße Golf {deplate} steht wieder da",
        "Wohnmobil {deplate} seit drei Wochen abgestellt",
    ],
    "at-plate": [
        "Kennzeichen {atplate}", "österreichisches Kennzeichen {atplate}",
        "Auto aus Österreich ({atplate}) parkt in der Feuerwehrzufahrt",
        "Falschparker {atplate}", "der Lieferwagen {atplate} steht auf dem Gehsteig",
        "{atplate} parkt im Halteverbot", "Pkw mit Kennzeichen {atplate}",
    ],
    "ip-address": [
        "Zugriff von {ip}", "IP {ip}", "IP-Adresse: {ip}", "meine IP ist {ip}",
        "Fehler beim Hochladen, IP {ip}", "gesendet von {ip}", "Router {ip}",
        "Formular abgeschickt von {ip}", "(IP: {ip})", "Server meldet {ip}",
    ],
    "date-of-birth": [
        "* {dob}", "*{dob}", "(* {dob})", "geb. {dob}", "geb. am {dob}", "geboren am {dob}",
        "geboren {dob}", "Geburtsdatum: {dob}", "Jg. {jg}", "Jahrgang {jg}",
        "Herr {last} (geb. {dob})", "{full}, geb. {dob}", "meine Mutter (* {dob})",
        "Geb.-Datum {dob}", "ich bin am {dob} geboren", "Melderin {full}, *{dob}",
    ],
    "email": [
        "Mail: {email}", "E-Mail {email}", "per Mail an {email}", "Kontakt {email}",
        "schreiben Sie mir: {email}", "<{email}>", "Antwort bitte an {email}",
        "eMail: {email}", "meine Adresse ist {email}", "{email}", "Email {email}",
        "$Viele Grüße\n{full}\n{email}", "bitte Rückmeldung per E-Mail ({email})",
    ],
    "street-address": [
        "Adresse: {address}{town}", "wohnhaft {address}{town}", "Anschrift {address}{town}",
        "vor {address}",
        "Höhe {address}", "gegenüber {address}", "Standort: {address}", "bei {address}",
        "{address}: Laterne defekt", "Ort: {address}", "Melder wohnt {address}",
        "direkt vor dem Haus {address}", "Ecke {address}", "Schlagloch vor {address}",
        "{full}, {address}{town}", "Einfahrt {address} zugeparkt", "{address}{town}",
    ],
}

# slots that fill in plain text, planting nothing
PLAIN_SLOTS = ("town",)

# decoy slot -> family
DECOY_SLOTS = {
    "place": "named-place", "shop": "shop-name", "job": "surname-noun",
    "animal": "surname-noun", "month": "name-word", "plant": "name-word",
    "ernst": "name-word", "kai": "name-word", "order": "checksum-fail", "date": "plain-date",
    "year": "plain-date", "time": "clock-time", "stamp": "clock-time", "money": "amount",
    "version": "version", "code": "unknown-plate", "count": "count-phrase",
    "spot": "numbered-place", "postcode": "postcode", "url": "url",
}

DECOY_TEMPLATES: dict[str, list[str]] = {
    "named-place": [
        "Ampel an der Kreuzung {place} ist ausgefallen",
        "Haltestelle {place}: Wartehäuschen kaputt",
        "Bereich {place}", "Nähe {place} liegt Glas", "Richtung {place} alles voller Laub",
        "{place}: Laterne defekt", "Höhe {place} Schlagloch", "Bushaltestelle {place} beschmiert",
        "Eingang {place} zugeparkt", "Sperrmüll: {place}",
    ],
    "shop-name": [
        "{shop} stellt Kisten auf den Gehweg", "Lieferwagen von {shop} parkt auf dem Radweg",
        "Müll hinter {shop}", "Gegenüber {shop} ist eine Laterne aus",
        "Eingang {shop} verdreckt", "Der Container von {shop} quillt über",
    ],
    "surname-noun": [
        "Der {job} der Kantine stellt Müll auf den Gehweg", "Der {job} weiß Bescheid",
        "Ich habe mit dem {job} gesprochen", "Ein {animal} läuft nachts über den Spielplatz",
        "Ein toter {animal} liegt am Straßenrand", "Der {job} hat die Hecke nicht geschnitten",
    ],
    "name-word": [
        "im {month} gemeldet", "seit {month} kaputt", "Ende {month} wieder passiert",
        "Anfang {month} schon einmal gemeldet", "Die {plant} vor dem Haus verliert Äste",
        "Die {plant} am Stadtrand ist vertrocknet", "{ernst} gemeint: das ist gefährlich",
        "Am {kai} liegt Müll im Wasser",
    ],
    "checksum-fail": [
        "Auftragsnummer {order}", "Vorgang {order}", "Ticket-Nr. {order}", "Bestellnummer {order}",
        "Zählernummer {order}", "Aktenzeichen {order}", "Ihre Meldung {order}",
        "Rechnung {order} noch offen", "Bezug: {order}", "Kundennummer {order}",
    ],
    "plain-date": [
        "Termin am {date}", "seit {date} kaputt", "gemeldet am {date}", "Frist bis {date}",
        "Die Brücke wurde am {date} eingeweiht", "Sperrung ab {date}", "Baujahr {year}",
        "seit {year} bekannt", "Haus von {year}", "am {date} schon einmal repariert",
    ],
    "clock-time": [
        "um {time} Uhr", "Zeitstempel {stamp}", "ab {time} laut", "jeden Abend gegen {time}",
        "Kamera-Zeit {stamp}", "zwischen {time} und {time}", "Uhrzeit {time}",
    ],
    "amount": [
        "Kosten {money}", "Schaden ca. {money}", "Bußgeld {money}", "Rechnung über {money}",
        "ich habe {money} bezahlt", "Gebühr {money} zu hoch",
    ],
    "version": [
        "App-Version {version}", "Version {version}", "Firmware {version}",
        "gemeldet mit der App {version}", "Browser {version}", "Update {version} installiert",
    ],
    "unknown-plate": [
        "Code {code}", "Gerät {code} defekt", "Modell {code}", "Artikel {code}",
        "Typenschild: {code}", "Schaltkasten {code} offen",
    ],
    "count-phrase": [
        "{count} hier gewesen", "{count}!", "{count}, jedes Wochenende dasselbe",
        "{count} gezählt", "{count} auf einmal",
    ],
    "numbered-place": [
        "Laterne defekt an {spot}", "{spot} gesperrt", "Müll auf {spot}", "{spot} ist überflutet",
        "auf {spot} steht ein Schrottrad",
    ],
    "postcode": [
        "im Bereich {postcode}", "Ortsteil {postcode}", "gilt für {postcode}",
    ],
    "url": [
        "siehe {url}", "Foto unter {url}", "laut {url}", "Formular auf {url} geht nicht",
    ],
}

# Sentences with nothing to find: built from parts, so a new seed makes new ones.
SUBJECTS = ["Die Laterne", "Die Straßenlaterne", "Die Ampel", "Der Gullydeckel",
            "Der Mülleimer", "Die Parkbank", "Die Schaukel", "Der Radweg", "Der Gehweg",
            "Der Baum", "Die Hecke", "Das Verkehrsschild", "Das Wartehäuschen",
            "Der Altkleidercontainer", "Der Brunnen", "Das Klettergerüst", "Die Treppe",
            "Das Geländer", "Der Zebrastreifen", "Die Rutsche", "Der Hydrant"]
STATES = ["ist defekt", "ist seit Tagen kaputt", "ist umgefallen", "blinkt dauernd",
          "ist beschmiert", "ragt auf den Gehweg", "ist verstopft", "wackelt",
          "ist abgebrochen", "ist total verdreckt", "geht nicht mehr", "ist eine Gefahr",
          "wurde beschädigt", "ist zugewachsen", "leuchtet nicht"]
PLACES = ["vor dem Kindergarten", "neben dem Spielplatz", "an der Kreuzung",
          "gegenüber der Kirche", "am Ende der Straße", "beim Supermarkt", "hinter dem Rathaus",
          "im Park", "an der Bushaltestelle", "bei der Schule", "am Friedhof", "an der Brücke",
          ""]
WHEN = ["seit gestern", "seit zwei Wochen", "schon wieder", "jede Nacht", "seit dem Sturm",
        "seit 3 Wochen", "", "", ""]
STOCK = ["Bitte dringend beheben", "Danke!", "Das ist gefährlich für Kinder",
         "Keine Reaktion auf meine letzte Meldung", "Foto anbei", "Schon mehrfach gemeldet",
         "Bitte kümmern Sie sich darum", "Es stinkt fürchterlich", "Kinder spielen dort",
         "Hier ist nachts alles dunkel", "Das Loch ist ca. 30 cm tief", "Bus Linie 74 betroffen",
         "Wer ist dafür zuständig?", "Ich warte seit Monaten", "Vielen Dank im Voraus",
         "^Hallo,", "^Sehr geehrte Damen und Herren,", "^Guten Tag,", "^Liebes Team,",
         "Ca. 200 m lang", "Schon 2x gemeldet", "Bitte um Info"]
