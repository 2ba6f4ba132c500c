"""The controlled vocabularies a harvest maps values into, and nothing more
than the mappings that are certain: an EU code written another way (ISO 639-2/B
`GER` for `DEU`, a file extension for its EU file type, a Dublin Core frequency
for its EU one), the DCAT-AP.de namespaces of older versions, the http form of
dcat-ap.de vocabulary addresses. A value none of these know is never guessed at:
the caller keeps or reports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import pycountry
from rdflib import URIRef

from publisher.metadata import vocab

DCATDE_NS = "http://dcat-ap.de/def/dcatde/"
# dcatde 1.0, 1.1, 2.0 and 3.0 in their http/https and www forms; `1_0` (with or
# without the slash) is what some RDF/XML writers make of `1.0/`.
_DCATDE = re.compile(
    r"^https?://(?:www\.)?dcat-ap\.de/def/dcatde/(?:\d+[._]\d+(?:[._]\d+)?/?)?(?P<name>[A-Za-z]\w*)$")
_DCATAPDE_VOCAB = re.compile(r"^https?://(?:www\.)?dcat-ap\.de/def/(?P<rest>(?!dcatde/).+)$")

# EU file types (http://publications.europa.eu/resource/authority/file-type).
_FILE_TYPE_CODES = """
7Z AAB AAC AKN4EU AKN4EU_ZIP APPX APK ARC ARC_GZ ARCINFO_COV ATOM AZW BIN BITS BMP BWF BZIP2
CSS CSV DBF DCR DEB DGN DMG DOC DOCM DOCX DOT DTD_SGML DTD_XML DWG DXF E00 EAR ECW EPS EPUB
ETSI_TSL ETSI_XML EXE FMX2 FMX3 FMX4 FMX4_ZIP GDB GEOJSON GEOTIFF GIF GML GMZ GPKG GRID
GRID_ASCII GTFS GZIP HDF HDT HTML HTML5 HTML_SIMPL ICS IMMC_XML INDD IPA ISO ISO_ZIP JAR
JATS JPEG JPEG2000 JS JSON JSON_LD KML KMZ LAS LAZ LEG LHA LZIP LZMA LZO MAP_PRVW MAP_SRVC
MBOX MDB METS METS_ZIP MHTML MOBI MOP MPEG2 MPEG4 MPEG4_AVC MRSID MSG_HTTP MSI MXD N3 NETCDF
OA_HTML OCTET ODB ODC ODF ODG ODP ODS ODT OP_DATPRO OVF OWL PDF PDF1X PDFA1A PDFA1B PDFA2A
PDFA2B PDFA3 PDFUA PDFX PDFX1A PDFX2A PDFX4 PL PNG PPS PPSX PPT PPTM PPTX PS PSD PWP QGS RAR
RDF RDFA RDF_N_QUADS RDF_N_TRIPLES RDF_THRIFT RDF_TRIG RDF_TRIX RDF_TURTLE RDF_XML REST RPM
RSS RTF SB3 SCHEMA_XML SDMX SGML SHP SKOS_XML SPARQLQ SPARQLQRES SQL STL SVG SWM TAB
TAB_RSTR TAR TAR_GZ TAR_XZ TIFF TIFF_FX TMX TSV TXT UNGEN WAR WARC WARC_GZ WCS_SRVC WEBP
WFS_SRVC WIM WMS_SRVC WMTS_SRVC WORLD XHTML XHTML5 XHTML_SIMPL XLIFF XLS XLSB XLSM XLSX XML
XSLFO XSLT XYZ XZ YAML Z ZIP
"""
FILE_TYPES: frozenset[str] = frozenset(_FILE_TYPE_CODES.split())
# Media types (and a few names) written in dct:format -> the EU file type they are.
_FORMAT_ALIASES: dict[str, str] = {
    "text/csv": "CSV", "application/json": "JSON", "application/geo+json": "GEOJSON",
    "application/vnd.geo+json": "GEOJSON", "application/xml": "XML", "text/xml": "XML",
    "application/pdf": "PDF", "application/zip": "ZIP", "text/html": "HTML",
    "text/plain": "TXT", "application/rdf+xml": "RDF_XML", "text/turtle": "RDF_TURTLE",
    "application/ld+json": "JSON_LD", "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/geopackage+sqlite3": "GPKG", "application/gml+xml": "GML",
    "application/vnd.google-earth.kml+xml": "KML", "image/png": "PNG", "image/jpeg": "JPEG",
    "image/tiff": "TIFF", "text/tab-separated-values": "TSV", "wms": "WMS_SRVC",
    "wfs": "WFS_SRVC", "wmts": "WMTS_SRVC", "wcs": "WCS_SRVC", "jsonld": "JSON_LD",
    "ttl": "RDF_TURTLE", "turtle": "RDF_TURTLE", "rdf/xml": "RDF_XML", "tiff": "TIFF",
    "tif": "TIFF", "jpg": "JPEG", "xlsx": "XLSX", "shapefile": "SHP", "esri shapefile": "SHP",
}
FREQUENCIES: frozenset[str] = vocab.FREQUENCIES | frozenset({
    "BIDECENNIAL", "BIHOURLY", "DECENNIAL", "QUADRENNIAL", "QUINQUENNIAL", "TRIDECENNIAL",
    "TRIHOURLY", "1MIN", "5MIN", "10MIN", "15MIN", "30MIN", "12HRS"})
# Names some catalogues use for EU frequency codes, and the Dublin Core
# Collection Description frequencies (purl.org/cld/freq/) of DCAT-AP 1.x.
_FREQUENCY_ALIASES: dict[str, str] = {
    "IRREGULAR": "IRREG", "CONTINUOUS": "CONT", "ANNUALLY": "ANNUAL", "YEARLY": "ANNUAL",
    "SEMIANNUAL": "ANNUAL_2", "THREETIMESAYEAR": "ANNUAL_3", "SEMIMONTHLY": "MONTHLY_2",
    "THREETIMESAMONTH": "MONTHLY_3", "SEMIWEEKLY": "WEEKLY_2", "THREETIMESAWEEK": "WEEKLY_3",
}
CLD_FREQ = "http://purl.org/cld/freq/"
_LANGUAGE_SOURCES = ("http://id.loc.gov/vocabulary/iso639-1/",
                     "http://id.loc.gov/vocabulary/iso639-2/",
                     "http://lexvo.org/id/iso639-3/", "http://lexvo.org/id/iso639-1/")
_MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9][\w.+-]*$", re.I)
_EU_SCHEMES = {"file-type": vocab.FILE_TYPE, "data-theme": vocab.DATA_THEME,
               "frequency": vocab.FREQUENCY, "language": vocab.LANGUAGE}
# Small EU tables DCAT-AP.de names, whole.
_EU_TABLES: dict[str, frozenset[str]] = {
    "access-right": frozenset({"PUBLIC", "RESTRICTED", "NON_PUBLIC", "CONFIDENTIAL",
                               "SENSITIVE", "NORMAL", "OP_DATPRO"}),
    "planned-availability": frozenset({"AVAILABLE", "EXPERIMENTAL", "STABLE", "TEMPORARY",
                                       "OP_DATPRO"}),
    "distribution-status": frozenset({"COMPLETED", "DEPRECATED", "DEVELOP", "WITHDRAWN",
                                      "OP_DATPRO"}),
}
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
_PUBLISHER_TYPES = frozenset({
    "Academia-ScientificOrganisation", "Company", "IndustryConsortium", "LocalAuthority",
    "NationalAuthority", "NonGovernmentalOrganisation", "NonProfitOrganisation",
    "PrivateIndividual", "PrivateIndividual(s)", "RegionalAuthority", "StandardisationBody",
    "SupraNationalAuthority"})


def dcatde_property(uri: str) -> str | None:
    """The DCAT-AP.de 3.0 IRI of a dcatde property written in any older or
    variant namespace; None if URI is no dcatde property or already canonical."""
    found = _DCATDE.match(uri)
    if not found:
        return None
    canonical = DCATDE_NS + found["name"]
    return canonical if canonical != uri else None


def dcatapde_vocabulary(uri: str) -> str | None:
    """The http://dcat-ap.de/def/ form of a DCAT-AP.de vocabulary address written
    with https or www (licences, contributors, political geocoding); None if it
    is none or already canonical."""
    found = _DCATAPDE_VOCAB.match(uri)
    if not found:
        return None
    canonical = vocab.DCATDE + found["rest"]
    return canonical if canonical != uri else None


def _code(value: str) -> str:
    return value.strip().rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def file_type(value: str) -> str | None:
    """The EU file-type URI a format names: its URI, its code, a file extension or
    a media type; None if it is none of these."""
    text = value.strip()
    if text.startswith(vocab.FILE_TYPE + "/"):
        code = _code(text)
        return text if code in FILE_TYPES else None
    if "://" in text:
        return None
    key = text.lower().lstrip(".")
    code = _FORMAT_ALIASES.get(key) or vocab.FILE_TYPES.get(key) or key.upper()
    return f"{vocab.FILE_TYPE}/{code}" if code in FILE_TYPES else None


def media_type(value: str) -> str | None:
    """The IANA address of a media type written as `type/subtype`."""
    text = value.strip()
    if text.lower().startswith(("http://www.iana.org/", "https://www.iana.org/")):
        return None
    return vocab.IANA_MEDIA + text.lower() if _MEDIA_TYPE.match(text) else None


@cache
def language_code(value: str) -> str | None:
    """The EU language code (ISO 639-3, upper case) of a language URI (EU, Library of
    Congress, lexvo) or of an ISO 639-1, 639-2/B or 639-3 code or English name."""
    text = value.strip()
    if "://" in text and not text.startswith((vocab.LANGUAGE + "/", *_LANGUAGE_SOURCES)):
        return None
    code = _code(text) if "://" in text else text
    if not code or len(code) > 40:
        return None
    if code.upper().startswith("OP_") or code.upper() in {"MUL", "UND", "ZXX", "MIS"}:
        return code.upper()
    for key in ("alpha_3", "bibliographic", "alpha_2"):
        found = pycountry.languages.get(**{key: code.lower()})
        if found is not None:
            return str(found.alpha_3).upper()
    if len(code) > 3:
        try:
            return str(pycountry.languages.lookup(code).alpha_3).upper()
        except LookupError:
            return None
    return None


def language(value: str) -> str | None:
    code = language_code(value)
    return vocab.language_uri(code) if code else None


def frequency(value: str) -> str | None:
    """The EU frequency URI of an EU URI or code, a known alias, or a Dublin Core
    (cld) frequency."""
    text = value.strip()
    if "://" in text and not text.startswith((vocab.FREQUENCY + "/", CLD_FREQ)):
        return None
    code = _code(text).upper()
    code = _FREQUENCY_ALIASES.get(code, code)
    return vocab.frequency_uri(code) if code in FREQUENCIES else None


def theme(value: str) -> str | None:
    """The EU data-theme URI of an EU theme URI or code; None for other schemes."""
    text = value.strip()
    if "://" in text and not text.startswith(vocab.DATA_THEME + "/"):
        return None
    code = _code(text).upper()
    return vocab.theme_uri(code) if code in vocab.THEMES else None


def eu_scheme(node: URIRef) -> str | None:
    """The concept scheme a known concept of an EU authority table (or of the ADMS
    publisher types) belongs to, so a graph can say so (skos:inScheme) and be
    checked offline; None for anything else, including a code the table lacks."""
    text = str(node)
    if text.startswith(ADMS_PUBLISHER_TYPE):
        listed = text.removeprefix(ADMS_PUBLISHER_TYPE) in _PUBLISHER_TYPES
        return ADMS_PUBLISHER_TYPE + "1.0" if listed else None
    for name, codes in _EU_TABLES.items():
        if text.startswith(f"{vocab.EU}{name}/"):
            return f"{vocab.EU}{name}" if _code(text) in codes else None
    for name, scheme in _EU_SCHEMES.items():
        if text.startswith(scheme + "/"):
            canonical = _CANONICAL[name](text)
            return scheme if canonical == text else None
    return None


_CANONICAL: dict[str, Callable[[str], str | None]] = {
    "file-type": file_type, "data-theme": theme, "frequency": frequency, "language": language}
