"""Controlled vocabularies the profiles use: EU file types, data themes,
frequencies, languages (EU Publications Office authority tables), DCAT-AP.de
contributors and political geocoding (dcat-ap.de/def)."""

from __future__ import annotations

import re

EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = EU + "file-type"
DATA_THEME = EU + "data-theme"
FREQUENCY = EU + "frequency"
LANGUAGE = EU + "language"
IANA_MEDIA = "https://www.iana.org/assignments/media-types/"
DCATDE = "http://dcat-ap.de/def/"
CONTRIBUTORS = DCATDE + "contributors"
GEOCODING_LEVEL = DCATDE + "politicalGeocoding/Level"
LICENCES = DCATDE + "licenses"

# Frictionless format (file extension) -> EU file-type code.
FILE_TYPES: dict[str, str] = {
    "csv": "CSV", "tsv": "TSV", "json": "JSON", "geojson": "GEOJSON", "gpkg": "GPKG",
    "xlsx": "XLSX", "xls": "XLS", "ods": "ODS", "parquet": "PARQUET", "zip": "ZIP",
    "xml": "XML", "gml": "GML", "kml": "KML", "kmz": "KMZ", "shp": "SHP", "pdf": "PDF",
    "txt": "TXT", "html": "HTML", "rdf": "RDF_XML", "ttl": "RDF_TURTLE",
    "jsonld": "JSON_LD",
}
MEDIA_TYPES: dict[str, str] = {
    "csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/json",
    "geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet", "zip": "application/zip",
    "xml": "application/xml", "pdf": "application/pdf",
}
# EU data themes (DCAT-AP dcat:theme).
THEMES: frozenset[str] = frozenset({
    "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI",
    "SOCI", "TECH", "TRAN", "OP_DATPRO",
})
FREQUENCIES: frozenset[str] = frozenset({
    "ANNUAL", "ANNUAL_2", "ANNUAL_3", "BIENNIAL", "BIMONTHLY", "BIWEEKLY", "CONT",
    "DAILY", "DAILY_2", "HOURLY", "IRREG", "MONTHLY", "MONTHLY_2", "MONTHLY_3", "NEVER",
    "OP_DATPRO", "QUARTERLY", "TRIENNIAL", "UNKNOWN", "UPDATE_CONT", "WEEKLY", "WEEKLY_2",
    "WEEKLY_3", "OTHER",
})
LANGUAGES: frozenset[str] = frozenset({
    "DEU", "ENG", "FRA", "ITA", "POL", "CES", "DAN", "NLD", "SLV", "HUN", "HRV", "TUR",
    "DSB", "HSB", "FRR", "NDS",
    # the other official EU languages (harvested records carry them)
    "BUL", "ELL", "EST", "FIN", "GLE", "LAV", "LIT", "MLT", "POR", "RON", "SLK", "SPA", "SWE",
})

# Length of a German official key -> (DCAT-AP.de key vocabulary, geocoding level).
_GEOCODING: dict[int, tuple[str, str]] = {
    2: ("stateKey", "state"),
    5: ("districtKey", "administrativeDistrict"),
    8: ("municipalityKey", "municipality"),
    9: ("municipalAssociationKey", "municipalAssociation"),
    12: ("regionalKey", "municipality"),
}


def file_type(fmt: str) -> str | None:
    code = FILE_TYPES.get(fmt.strip().lower().lstrip("."))
    return f"{FILE_TYPE}/{code}" if code else None


def media_type(fmt: str, given: str | None = None) -> str | None:
    value = given or MEDIA_TYPES.get(fmt.strip().lower().lstrip("."))
    return IANA_MEDIA + value if value else None


def theme_uri(code: str) -> str:
    return f"{DATA_THEME}/{code.strip().upper()}"


def frequency_uri(code: str) -> str:
    return f"{FREQUENCY}/{code.strip().upper()}"


def language_uri(code: str) -> str:
    return f"{LANGUAGE}/{code.strip().upper()}"


def known(code: str, table: frozenset[str]) -> bool:
    """Whether a code is in the authority table (only known concepts are written
    with their skos:inScheme, so an unknown one fails the shapes)."""
    return code.strip().upper() in table


def contributor_uri(value: str) -> str:
    """A DCAT-AP.de contributor id, given as full URI or as its last segment."""
    return value if "://" in value else f"{CONTRIBUTORS}/{value}"


def is_official_key(value: str) -> bool:
    return bool(re.fullmatch(r"\d+", value)) and len(value) in _GEOCODING


def political_geocoding(key: str) -> tuple[str, str]:
    """(geocoding URI, level URI) for an AGS (8 digits), ARS (12), district (5),
    municipal association (9) or state key (2)."""
    vocab, level = _GEOCODING[len(key)]
    return f"{DCATDE}politicalGeocoding/{vocab}/{key}", f"{GEOCODING_LEVEL}/{level}"
