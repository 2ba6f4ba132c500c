"""The pages' words, German first, English on `?lang=en`.

The language travels in the address (never in a cookie), so a public page
stays one cacheable answer per address, and every link keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

Lang = Literal["de", "en"]
LANGS: tuple[Lang, ...] = ("de", "en")

# key: (German, English); `{name}` fields are filled by `t(key, name=...)`
MESSAGES: dict[str, tuple[str, str]] = {
    "site.skip": ("Zum Inhalt springen", "Skip to content"),
    "nav.catalogue": ("Katalog", "Catalogue"),
    "nav.api": ("API-Dokumentation", "API documentation"),
    "nav.dcat": ("DCAT-Katalog", "DCAT catalogue"),
    "nav.language": ("Sprache", "Language"),
    "nav.main": ("Hauptnavigation", "Main navigation"),
    "footer.note": ("Veröffentlicht werden nur anonymisierte Daten.",
                    "Only anonymised data are published."),
    "cat.title": ("Offene Daten", "Open data"),
    "cat.lead": ("Datensätze der Stadt, geprüft und anonymisiert veröffentlicht.",
                 "The city's datasets, checked and published anonymised."),
    "cat.search": ("Suche", "Search"),
    "cat.search_label": ("Suchbegriffe", "Search terms"),
    "cat.search_button": ("Suchen", "Search"),
    "cat.filters": ("Filter", "Filters"),
    "cat.theme": ("Thema", "Theme"),
    "cat.format": ("Format", "Format"),
    "cat.licence": ("Lizenz", "Licence"),
    "cat.place": ("Ort", "Place"),
    "cat.any": ("alle", "any"),
    "cat.apply": ("Filter anwenden", "Apply filters"),
    "cat.reset": ("Alle Filter zurücksetzen", "Clear all filters"),
    "cat.found": ("{count} Datensätze", "{count} datasets"),
    "cat.found_one": ("1 Datensatz", "1 dataset"),
    "cat.none": ("Kein Datensatz passt zu dieser Suche.", "No dataset matches this search."),
    "cat.results": ("Ergebnisse", "Results"),
    "cat.modified": ("geändert", "modified"),
    "ds.metadata": ("Metadaten", "Metadata"),
    "ds.publisher": ("Herausgeber", "Publisher"),
    "ds.contact": ("Kontakt", "Contact"),
    "ds.themes": ("Themen", "Themes"),
    "ds.keywords": ("Schlagwörter", "Keywords"),
    "ds.place": ("Ort", "Place"),
    "ds.frequency": ("Aktualisierung", "Update frequency"),
    "ds.modified": ("Zuletzt geändert", "Last modified"),
    "ds.version": ("Version", "Version"),
    "ds.uri": ("Adresse (URI)", "Address (URI)"),
    "ds.legal_basis": ("Rechtsgrundlage", "Legal basis"),
    "ds.machine": ("Für Maschinen", "For machines"),
    "ds.licence": ("Lizenz und Namensnennung", "Licence and attribution"),
    "ds.licence_none": ("Keine Lizenz angegeben.", "No licence given."),
    "ds.attribution": ("Quellenvermerk (bitte bei der Nutzung angeben)",
                       "Source note (please give it when you use the data)"),
    "ds.changed": ("Daten geändert", "data changed"),
    "ds.downloads": ("Downloads", "Downloads"),
    "ds.file": ("Datei", "File"),
    "ds.size": ("Größe", "Size"),
    "ds.checksum": ("Prüfsumme (SHA-256)", "Checksum (SHA-256)"),
    "ds.other_formats": ("Andere Formate", "Other formats"),
    "ds.preview": ("Tabellenvorschau", "Table preview"),
    "ds.preview_of": ("Vorschau von {resource}: Zeilen {first} bis {last} von {total}",
                      "Preview of {resource}: rows {first} to {last} of {total}"),
    "ds.preview_empty": ("Diese Tabelle hat keine Zeilen.", "This table has no rows."),
    "ds.page_nav": ("Seiten der Vorschau", "Preview pages"),
    "ds.prev": ("Vorherige Seite", "Previous page"),
    "ds.next": ("Nächste Seite", "Next page"),
    "ds.page": ("Seite {page} von {pages}", "Page {page} of {pages}"),
    "ds.resource": ("Tabelle", "Table"),
    "ds.map": ("Karte", "Map"),
    "ds.map_label": ("Karte der veröffentlichten Geometrie von {resource}",
                     "Map of the published geometry of {resource}"),
    "ds.map_note": ("Ohne Hintergrundkarte: gezeigt werden nur die veröffentlichten Daten und "
                    "der Umriss ihrer Ausdehnung.",
                    "No base map: only the published data and the outline of their extent "
                    "are shown."),
    "ds.map_truncated": ("Die Karte zeigt die ersten {shown} von {total} Objekten.",
                         "The map shows the first {shown} of {total} features."),
    "ds.map_missing": ("Die Karte kann nicht gezeigt werden: die Kartenbibliothek (Leaflet) ist "
                       "auf diesem Server nicht installiert.",
                       "The map cannot be shown: the map library (Leaflet) is not installed "
                       "on this server."),
    "ds.map_noscript": ("Die Karte braucht JavaScript; die Daten stehen auch als GeoJSON "
                        "zum Download bereit.",
                        "The map needs JavaScript; the data can also be downloaded as GeoJSON."),
    "ds.legend": ("Legende", "Legend"),
    "ds.audit": ("Was wurde verändert, und warum ist das anonym?",
                 "What was changed, and why is it anonymous?"),
    "ds.audit_full": ("Vollständiges Prüfprotokoll (Audit)", "Full audit record"),
    "ds.audit_json": ("als JSON", "as JSON"),
    "ds.audit_none": ("Für diesen Datensatz liegt kein Prüfprotokoll vor.",
                      "There is no audit record for this dataset."),
    "legend.extent": ("Ausdehnung der Daten", "Extent of the data"),
    "legend.points": ("Punkt", "Point"),
    "legend.areas": ("Fläche", "Area"),
    "legend.lines": ("Linie", "Line"),
    "legend.count": ("{low} bis {high}", "{low} to {high}"),
    "legend.count_one": ("{low}", "{low}"),
    "legend.raw": ("Rohdaten: Einzelpunkte (nur in der Konsole)",
                   "Raw data: single points (console only)"),
    "legend.flagged": ("Gemeldete Position", "Flagged position"),
    "error.title": ("Fehler", "Error"),
    "error.not_found": ("Diese Seite gibt es nicht.", "There is no such page."),
    "error.back": ("Zurück zum Katalog", "Back to the catalogue"),
    "docs.title": ("API-Dokumentation", "API documentation"),
    "docs.missing": ("Die API-Dokumentation kann nicht gezeigt werden: Swagger UI ist auf diesem "
                     "Server nicht installiert. Die Beschreibung steht unter {url}.",
                     "The API documentation cannot be shown: Swagger UI is not installed on "
                     "this server. The description is at {url}."),
    "con.title": ("Konsole", "Console"),
    "con.brand": ("Konsole der Open-Data-Stelle", "Open data steward console"),
    "con.overview": ("Übersicht", "Overview"),
    "con.public_site": ("Öffentlicher Katalog", "Public catalogue"),
    "con.logout": ("Abmelden", "Log out"),
    "con.private_note": ("Nur für die Open-Data-Stelle: diese Seiten zeigen Rohdaten und werden "
                         "nie zwischengespeichert.",
                         "For the open data team only: these pages show raw data and are "
                         "never cached."),
    "login.title": ("Anmeldung zur Konsole", "Log in to the console"),
    "login.token": ("Steward-Token", "Steward token"),
    "login.button": ("Anmelden", "Log in"),
    "login.failed": ("Das Token ist nicht gültig.", "The token is not valid."),
    "login.unset": ("Auf diesem Server ist kein Steward-Token eingerichtet "
                    "(PUBLISHER_STEWARD_TOKEN_HASH).",
                    "This server has no steward token configured "
                    "(PUBLISHER_STEWARD_TOKEN_HASH)."),
    "con.pipelines": ("Pipelines", "Pipelines"),
    "con.run": ("Ausführen", "Run"),
    "con.plan": ("Planen (nur CKAN)", "Plan (CKAN only)"),
    "con.runs": ("Läufe", "Runs"),
    "con.no_runs": ("Noch keine Läufe.", "No runs yet."),
    "con.started": ("Beginn", "Started"),
    "con.status": ("Status", "Status"),
    "con.stage": ("Stufe", "Stage"),
    "con.duration": ("Dauer", "Duration"),
    "con.findings": ("Befunde (Prüfung / erneute Prüfung)", "Findings (check / re-check)"),
    "con.datasets": ("Datensätze", "Datasets"),
    "con.visibility": ("Sichtbarkeit", "Visibility"),
    "con.public": ("öffentlich", "public"),
    "con.private": ("privat", "private"),
    "con.withdraw": ("Zurückziehen", "Withdraw"),
    "con.withdraw_help": ("Zurückziehen: der Datensatz verschwindet aus dem Katalog, seine "
                          "Dateien bleiben; Harvester sehen einen Grabstein (Tombstone).",
                          "Withdraw: the dataset leaves the catalogue, its files stay; "
                          "harvesters see a tombstone."),
    "con.purge": ("Endgültig löschen", "Purge"),
    "con.purge_help": ("Endgültig löschen: auch alle Dateien werden gelöscht; Harvester sehen "
                       "einen Grabstein.",
                       "Purge: all files are deleted too; harvesters see a tombstone."),
    "con.purge_confirm": ("Zum endgültigen Löschen den Namen „{name}“ eingeben",
                          "Type the name '{name}' to purge"),
    "con.withdrawn": ("Zurückgezogen", "Withdrawn"),
    "con.done_withdrawn": ("„{name}“ wurde zurückgezogen.", "'{name}' was withdrawn."),
    "con.done_purged": ("„{name}“ wurde endgültig gelöscht.", "'{name}' was purged."),
    "run.title": ("Lauf {run}", "Run {run}"),
    "run.pipeline": ("Pipeline", "Pipeline"),
    "run.message": ("Meldung", "Message"),
    "run.timing": ("Stufen und Zeit", "Stages and time"),
    "run.seconds": ("{s} s", "{s} s"),
    "run.steps": ("Anonymisierungsschritte", "Anonymisation steps"),
    "run.check": ("Prüfbericht", "Check report"),
    "run.recheck": ("Erneute Prüfung nach der Anonymisierung", "Re-check after anonymisation"),
    "run.by_column": ("Befunde nach Regel und Spalte", "Findings by rule and column"),
    "run.rule": ("Regel", "Rule"),
    "run.severity": ("Schwere", "Severity"),
    "run.resource": ("Tabelle", "Table"),
    "run.field": ("Spalte", "Field"),
    "run.count": ("Anzahl", "Count"),
    "run.no_findings": ("Keine Befunde.", "No findings."),
    "run.flagged_map": ("Karte der gemeldeten Positionen: {resource}",
                        "Map of the flagged positions: {resource}"),
    "run.before_after": ("Vorher/nachher für den Datenschutz: {resource}",
                         "Before and after for the data protection officer: {resource}"),
    "run.before_after_title": ("Vorher/nachher für den Datenschutz",
                               "Before and after for the data protection officer"),
    "run.before_after_note": ("Rohdaten (Einzelpunkte) gegen die veröffentlichten Zellen. "
                              "Rohdaten erscheinen nur hier in der Konsole.",
                              "Raw points against the published cells. Raw data appear only "
                              "here in the console."),
    "run.unaccepted": ("Verbleibende Hinweise", "Remaining warnings"),
    "run.unaccepted_note": ("Diese Hinweise der erneuten Prüfung verhindern die Veröffentlichung. "
                            "Wer entscheidet, dass sie unbedenklich sind, akzeptiert sie hier "
                            "mit Begründung; der nächste Lauf veröffentlicht dann, und das "
                            "Prüfprotokoll nennt wer, wann und warum.",
                            "These warnings of the re-check stop publication. Whoever decides "
                            "they are harmless accepts them here with a reason; the next run "
                            "then publishes, and the audit record names who, when and why."),
    "run.reason": ("Begründung", "Reason"),
    "run.by": ("Entschieden von", "Decided by"),
    "run.accept": ("Hinweis akzeptieren", "Accept the warning"),
    "run.accepted": ("Akzeptiert: „{rule}“. Starten Sie den Lauf erneut, um zu veröffentlichen.",
                     "Accepted: '{rule}'. Run the pipeline again to publish."),
    "run.again": ("Erneut ausführen", "Run again"),
    "run.acceptances": ("Akzeptierte Hinweise", "Accepted warnings"),
    "run.raw_missing": ("Die Rohdaten dieses Laufs sind nicht mehr lesbar; es gibt keine Karte.",
                        "The raw data of this run can no longer be read; there is no map."),
}

THEMES: dict[str, tuple[str, str]] = {
    "AGRI": ("Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel",
             "Agriculture, fisheries, forestry and food"),
    "ECON": ("Wirtschaft und Finanzen", "Economy and finance"),
    "EDUC": ("Bildung, Kultur und Sport", "Education, culture and sport"),
    "ENER": ("Energie", "Energy"),
    "ENVI": ("Umwelt", "Environment"),
    "GOVE": ("Regierung und öffentlicher Sektor", "Government and public sector"),
    "HEAL": ("Gesundheit", "Health"),
    "INTR": ("Internationale Themen", "International issues"),
    "JUST": ("Justiz, Rechtssystem und öffentliche Sicherheit",
             "Justice, legal system and public safety"),
    "REGI": ("Regionen und Städte", "Regions and cities"),
    "SOCI": ("Bevölkerung und Gesellschaft", "Population and society"),
    "TECH": ("Wissenschaft und Technologie", "Science and technology"),
    "TRAN": ("Verkehr", "Transport"),
}

FREQUENCIES: dict[str, tuple[str, str]] = {
    "ANNUAL": ("jährlich", "annual"), "MONTHLY": ("monatlich", "monthly"),
    "WEEKLY": ("wöchentlich", "weekly"), "DAILY": ("täglich", "daily"),
    "QUARTERLY": ("vierteljährlich", "quarterly"), "IRREG": ("unregelmäßig", "irregular"),
    "NEVER": ("nie", "never"), "CONT": ("laufend", "continuous"),
}


def pick(value: str | None) -> Lang:
    return "en" if value == "en" else "de"


def translator(lang: Lang) -> Callable[..., str]:
    index = LANGS.index(lang)

    def t(key: str, **fields: object) -> str:
        text = MESSAGES[key][index]
        return text.format(**fields) if fields else text

    return t


def theme(code: str, lang: Lang) -> str:
    names = THEMES.get(code.upper())
    return names[LANGS.index(lang)] if names else code


def frequency(code: str | None, lang: Lang) -> str | None:
    if code is None:
        return None
    names = FREQUENCIES.get(code.upper())
    return names[LANGS.index(lang)] if names else code
