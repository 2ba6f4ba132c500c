"""What a harvested record is, and what a harvest run reports."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from publisher.harvest.accounting import RecordReport
from publisher.report import Finding, Severity

_SLUG = re.compile(r"[^a-z0-9_-]+")


def slug(text: str, unique: str, limit: int = 90) -> str:
    """A CKAN-valid name (lower-case, 2-100 chars) from TEXT, made unique by a
    short hash of UNIQUE."""
    base = _SLUG.sub("-", text.lower()).strip("-_")[: limit - 9] or "dataset"
    return f"{base}-{hashlib.sha1(unique.encode()).hexdigest()[:8]}"


_OPTIONAL = ("publisher_uri", "languages", "frequency", "contributor_id", "municipality_key",
             "place", "geometry", "bbox", "temporal", "originator", "maintainer",
             "landing_page", "contact")


@dataclass
class HarvestRecord:
    source_id: str  # stable id in the source (CKAN name, DCAT URI)
    name: str  # name in the target
    title: str
    description: str
    publisher: str
    modified: str | None = None
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    license: str | None = None
    contact_email: str | None = None
    resources: list[dict[str, str]] = field(default_factory=list)
    source_uri: str | None = None
    # DCAT-AP.de, under the metadata keys of our own pipelines' dataset section
    publisher_uri: str | None = None
    languages: list[str] = field(default_factory=list)  # EU codes, e.g. DEU
    frequency: str | None = None  # EU code, e.g. ANNUAL
    contributor_id: str | None = None  # URI
    municipality_key: str | None = None  # from the political geocoding URI
    place: str | None = None
    geometry: str | None = None  # WKT or GeoJSON
    bbox: str | None = None
    temporal: dict[str, str] | None = None  # {start, end}, either may be missing
    originator: dict[str, str] | None = None  # {name, uri, email}
    maintainer: dict[str, str] | None = None
    landing_page: str | None = None
    issued: str | None = None
    contact: dict[str, str] | None = None  # {name, email, url, phone}, as the source gave it
    # The dataset's own description in DCAT-AP.de 3.0 (N-Triples, blank nodes
    # labelled canonically): what the catalogue serves again, and the CKAN sink maps.
    graph: str | None = None

    def metadata(self, source: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "title": self.title, "description": self.description,
            "publisher": self.publisher, "keywords": self.keywords, "themes": self.themes,
            "resources": self.resources,
            "harvest": {"source": source, "id": self.source_id, "uri": self.source_uri,
                        "modified": self.modified},
        }
        if self.issued:
            out["harvest"]["issued"] = self.issued
        if self.graph:
            out["harvest"]["graph"] = self.graph
        if self.license:
            out["license"] = self.license
        if self.contact_email:
            out["contact_email"] = self.contact_email
        for key in _OPTIONAL:
            value = getattr(self, key)
            if value:
                out[key] = value
        return out

    def fingerprint(self) -> str:
        data = asdict(self)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


@dataclass
class Skipped:
    id: str
    reason: str


@dataclass
class HarvestReport:
    source: str
    target: str
    mode: str = "full"  # full | incremental
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    deleted: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # CKAN fields no DCAT-AP.de property holds -> records (each also dropped in `records`)
    unmapped: dict[str, int] = field(default_factory=dict)
    gaps: dict[str, int] = field(default_factory=dict)  # mapped, but a field was missing
    records: list[RecordReport] = field(default_factory=list)  # per dataset and distribution
    findings: list[Finding] = field(default_factory=list)  # about the source as a whole
    complete: bool = True  # False: pages or records were not read; nothing is deleted

    def note_unmapped(self, prop: str) -> None:
        self.unmapped[prop] = self.unmapped.get(prop, 0) + 1

    def note_gap(self, what: str) -> None:
        self.gaps[what] = self.gaps.get(what, 0) + 1

    def record(self, name: str) -> RecordReport | None:
        return next((r for r in self.records if r.name == name), None)

    def losses(self) -> list[str]:
        """Everything of the source that did not arrive, one line each."""
        out = [f"{f.resource or self.source}: {f.message}" for f in self.findings
               if f.severity != Severity.INFO]
        out += [f"record {s.id} skipped: {s.reason}" for s in self.skipped]
        for record in self.records:
            out += [f"{item.kind} {item.id}: dropped {change.line()}"
                    for item, change in record.dropped()]
        return out

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = [f.to_dict() for f in self.findings]
        return data
