"""licence-attribution: the attribution text the output licence asks for (RULES.md section 4).

DL-DE BY 2.0 asks for a source note naming the provider, the licence with its
link, the dataset's address and whether the data were changed (carried in
DCAT-AP.de as `dcatde:licenseAttributionByText`); in Austria the usual note is
"Datenquelle: <body>". Every attribution source is carried forward, and
OpenStreetMap data add "(c) OpenStreetMap contributors".

The text is reported, with any identifier in it replaced by its label
([EMAIL], [PHONE] ...: it is metadata, never quoted), as an info finding and in the rule's stats
(`attribution`); a missing provider, without which no note can be written,
is a finding at the rule's severity.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import Field

from publisher.detect import redact
from publisher.licences import Licence, normalise
from publisher.package.model import Package
from publisher.report import Finding, Severity
from publisher.rules.base import Rule, RuleParams, rules
from publisher.rules.licence_compatibility import input_licences


class LicenceAttributionParams(RuleParams):
    style: Literal["de", "at"] = Field("de", description="de: the DL-DE BY 2.0 source note; "
                                                         "at: 'Datenquelle: <body>'.")
    provider: str | None = Field(None, description="The provider named in the note; default: "
                                                   "the package's publisher, else its first "
                                                   "source.")


def provider_of(package: Package) -> str | None:
    for contributor in package.descriptor.get("contributors") or []:
        if isinstance(contributor, dict) and contributor.get("role") in ("publisher", "author"):
            return str(contributor.get("title") or "") or None
    publisher = package.descriptor.get("publisher")
    if isinstance(publisher, str) and publisher:
        return publisher
    sources = [s for s in package.descriptor.get("sources") or [] if isinstance(s, dict)]
    return str(sources[0].get("title")) if sources and sources[0].get("title") else None


def attribution_text(package: Package, licence: Licence, provider: str,
                     style: str = "de", changed: bool | None = None) -> str:
    """The source note for the package under `licence`."""
    if changed is None:
        # a step derived the data (an S3 prefix has no path, but its files)
        changed = any(r.path is None and r.dataset is None for r in package.resources)
    address = str(package.descriptor.get("homepage") or package.descriptor.get("id") or "")
    link = licence.url or licence.uri or ""
    if style == "at":
        parts = [f"Datenquelle: {provider}", f"Lizenz: {licence.title}" + (
            f" ({link})" if link else "")]
    else:
        name = licence.spdx.lower().replace("dl-de-", "dl-de/").replace("-2.0", "-2-0") \
            if licence.spdx and licence.spdx.startswith("DL-DE") else (licence.spdx or licence.id)
        parts = [provider, f"{name} ({link})" if link else name]
    if address:
        parts.append(address)
    text = ", ".join(parts)
    text += "; Daten geändert" if changed else ""
    notes = _source_notes(package)
    if notes:
        text += "; " + "; ".join(notes)
    return text


def _source_notes(package: Package) -> list[str]:
    notes: list[str] = []
    for where, _, lic in input_licences(package):
        if lic is None or lic.kind == "public-domain" or not where.startswith("source"):
            continue
        note = "(c) OpenStreetMap contributors" if lic.id == "odbl" else \
            f"{where.removeprefix('source ').strip(chr(39))} ({lic.id})"
        if note not in notes:
            notes.append(note)
    return notes


@rules.register
class LicenceAttribution(Rule[LicenceAttributionParams]):
    type = "licence-attribution"
    example = """\
- id: licence-attribution
  type: licence-attribution
  severity: warn
  params:
    style: de
    provider: Stadt Musterstadt
"""
    default_severity = Severity.WARN

    def check(self, package: Package) -> Iterable[Finding]:
        entries: list[Any] = package.descriptor.get("licenses") or []
        licence = normalise(entries[0]) if entries and isinstance(entries[0], str | dict) \
            else None
        if licence is None or licence.kind not in ("attribution", "share-alike"):
            self.stats = {"attribution": None}
            return
        provider = self.params.provider or provider_of(package)
        if not provider:
            yield self.finding(f"the licence '{licence.id}' needs a source note, but the "
                               "package names no provider",
                               hint="add a `contributors` entry with role publisher, or set "
                                    "the rule's `provider`")
            return
        # the provider and the source titles are metadata: an e-mail address or phone
        # number in them is never quoted (identifiers-in-metadata reports it)
        text = redact([attribution_text(package, licence, provider, self.params.style)])[0]
        self.stats = {"attribution": text}
        yield Finding(type=self.type, rule=self.id, severity=Severity.INFO,
                      message=f"attribution text: {text}")
