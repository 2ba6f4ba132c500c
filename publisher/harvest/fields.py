"""Normalising DCAT-AP.de values the way both sources (DCAT and CKAN) need
them: to the metadata keys of our own pipelines (languages as EU codes, the
official key behind a political geocoding URI, EU frequency codes, ...)."""

from __future__ import annotations

import re
from typing import Any

from publisher.metadata import vocab

GEOCODING = vocab.DCATDE + "politicalGeocoding/"
# ISO 639-2/B codes (and 639-1 codes) some catalogues use -> EU language codes.
_LANGUAGE_ALIASES = {
    "GER": "DEU", "DE": "DEU", "EN": "ENG", "FRE": "FRA", "FR": "FRA", "CZE": "CES",
    "DUT": "NLD", "NL": "NLD", "IT": "ITA", "PL": "POL", "DA": "DAN", "TR": "TUR",
    "ES": "SPA", "PT": "POR", "SLO": "SLK", "GRE": "ELL", "RUM": "RON",
}
# Names some catalogues use in place of the EU codes.
_FREQUENCY_ALIASES = {"IRREGULAR": "IRREG", "CONTINUOUS": "CONT", "ANNUALLY": "ANNUAL",
                      "YEARLY": "ANNUAL"}
_TEMPORAL = re.compile(
    r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?")
_EMAIL_IN_NAME = re.compile(r"^(?P<name>.*?)\s*e-?mail:\s*(?P<email>\S+@\S+)\s*$", re.I)


def last_segment(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def language_code(value: str) -> str | None:
    """An EU language code from a language URI or a code (GER, de, deu)."""
    code = last_segment(value.strip()).upper()
    code = _LANGUAGE_ALIASES.get(code, code)
    return code if re.fullmatch(r"[A-Z]{3}", code) else None


def frequency_code(value: str) -> str | None:
    """An EU frequency code from its URI or the code itself."""
    text = value.strip()
    if "://" in text and not text.startswith(vocab.FREQUENCY):
        return None
    code = last_segment(text).upper()
    code = _FREQUENCY_ALIASES.get(code, code)
    return code if vocab.known(code, vocab.FREQUENCIES) else None


def geocoding_key(value: str) -> str | None:
    """The official key of a DCAT-AP.de political geocoding URI
    (…/politicalGeocoding/regionalKey/040110000000 -> 040110000000)."""
    text = value.strip()
    if not text.startswith(GEOCODING):
        return None
    key = last_segment(text)
    return key if vocab.is_official_key(key) else None


def temporal_value(value: Any) -> str | None:
    """An ISO year, year-month, date or date-time; None for anything else."""
    text = str(value).strip().replace(" ", "T", 1) if value is not None else ""
    return text if _TEMPORAL.fullmatch(text) else None


def email(value: str | None) -> str | None:
    """An e-mail address from mailto:, a plain address, or a relative
    reference a serialiser resolved against its base (file:///…/a@b.de)."""
    if not value:
        return None
    text = str(value).strip().removeprefix("mailto:")
    if "@" in text:
        text = text.rsplit("/", 1)[-1]
    return text or None


def agent(name: str | None, uri: str | None = None,
          mail: str | None = None) -> dict[str, str] | None:
    """An agent as the metadata dict holds it: {name, uri?, email?}. Some CKAN
    exports glue the e-mail address onto the name ("Amt Xemail: a@b.de")."""
    if not name or not name.strip():
        return None
    text = name.strip()
    glued = _EMAIL_IN_NAME.match(text)
    if glued:  # with no name before it, the address is all there is to name it by
        text, mail = glued["name"].strip() or glued["email"], mail or glued["email"]
    out = {"name": text}
    if uri:
        out["uri"] = uri
    if found := email(mail):
        out["email"] = found
    return out


def is_geometry(text: str) -> bool:
    """Whether a spatial literal is a geometry (WKT or GeoJSON) rather than a name."""
    stripped = text.strip()
    return stripped.startswith("{") or bool(re.match(
        r"(SRID=\d+;\s*)?(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON"
        r"|GEOMETRYCOLLECTION|ENVELOPE)\s*\(", stripped, re.I))
