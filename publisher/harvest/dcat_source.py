"""A DCAT catalogue as a harvest source: a local file or an http(s) address,
pages followed by their Hydra links (`hydra:next` or `hydra:nextPage`),
deletions learned from `as:Tombstone` entries where the catalogue has them.

Each dcat:Dataset is mapped on its own; one that cannot be mapped (no title,
say) is reported and skipped. Properties the mapping does not carry are counted
per property, so the report says what was left behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

import httpx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from publisher.errors import InputError, TransientError
from publisher.harvest import fields
from publisher.harvest.model import HarvestRecord, HarvestReport, Skipped, slug
from publisher.metadata.namespaces import AS, GEODCATAP, GSP, HYDRA, LOCN, SCHEMA, VCARD

MAPPED = {RDF.type, DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher,
          DCAT.keyword, DCAT.theme, DCTERMS.modified, DCTERMS.issued, DCAT.distribution,
          DCAT.contactPoint, DCTERMS.license}
MAX_PAGES = 10_000


@dataclass
class DcatPage:
    records: list[HarvestRecord]
    tombstones: list[str]  # source ids
    next_url: str | None


def _text(g: Graph, node: Node, prop: URIRef) -> str | None:
    """German first, then untagged, then any language."""
    values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    for wanted in ("de", None):
        for v in values:
            if v.language == wanted:
                return str(v).strip()
    return str(values[0]).strip() if values else None


def _publisher(g: Graph, node: Node) -> str | None:
    agent = g.value(node, DCTERMS.publisher)
    if agent is None:
        return None
    if isinstance(agent, Literal):
        return str(agent)
    return _text(g, agent, FOAF.name) or str(agent)


def _email(g: Graph, node: Node) -> str | None:
    contact = g.value(node, DCAT.contactPoint)
    email = g.value(contact, VCARD.hasEmail) if contact is not None else None
    return fields.email(str(email)) if email is not None else None


def _dcatde(g: Graph, node: Node) -> dict[str, list[tuple[URIRef, Node]]]:
    """The node's DCAT-AP.de properties by local name, whatever namespace
    variant the catalogue writes."""
    out: dict[str, list[tuple[URIRef, Node]]] = {}
    for prop, value in g.predicate_objects(node):
        name = fields.dcatde_name(str(prop))
        if name and isinstance(prop, URIRef):
            out.setdefault(name, []).append((prop, value))
    return out


def _agent(g: Graph, value: Node) -> dict[str, str] | None:
    if isinstance(value, Literal):
        return fields.agent(str(value))
    name = _text(g, value, FOAF.name) or _text(g, value, VCARD.fn)
    mbox = g.value(value, FOAF.mbox) or g.value(value, VCARD.hasEmail)
    uri = str(value) if isinstance(value, URIRef) and str(value).startswith("http") else None
    return fields.agent(name or uri, uri, str(mbox) if mbox is not None else None)


class _Extra:
    """What map_dataset reads beyond the core fields, and which properties it used."""

    def __init__(self, g: Graph, node: Node):
        self.g, self.node = g, node
        self.used: set[URIRef] = set()
        self.values: dict[str, Any] = {}
        self.dropped: set[str] = set()

    def set(self, key: str, value: Any, *props: URIRef) -> None:
        if value:
            if self.values.setdefault(key, value) != value:
                self.dropped.add(key)  # one value kept: the others are reported
            self.used.update(props)


def _spatial(ex: _Extra, value: Node) -> None:
    g = ex.g
    if isinstance(value, Literal):
        key = "geometry" if fields.is_geometry(str(value)) else "place"
        ex.set(key, str(value).strip(), DCTERMS.spatial)
        return
    if isinstance(value, URIRef):
        ex.set("municipality_key", fields.geocoding_key(str(value)), DCTERMS.spatial)
    for unit in (LOCN.adminUnitL2, LOCN.adminUnitL1):
        for ref in g.objects(value, unit):
            ex.set("municipality_key", fields.geocoding_key(str(ref)), DCTERMS.spatial)
    name = (_text(g, value, LOCN.geographicName) or _text(g, value, SKOS.prefLabel)
            or _text(g, value, RDFS.label))
    ex.set("place", name, DCTERMS.spatial)
    for prop in (LOCN.geometry, DCAT.bbox):
        for shape in g.objects(value, prop):
            text = shape if isinstance(shape, Literal) else (
                g.value(shape, GSP.asWKT) or g.value(shape, GSP.asGeoJSON))
            if isinstance(text, Literal) and str(text).strip():
                ex.set("bbox" if prop == DCAT.bbox else "geometry", str(text).strip(),
                       DCTERMS.spatial)


def _temporal(ex: _Extra, value: Node) -> None:
    period: dict[str, str] = {}
    for key, props in (("start", (DCAT.startDate, SCHEMA.startDate)),
                       ("end", (DCAT.endDate, SCHEMA.endDate))):
        for prop in props:
            found = fields.temporal_value(ex.g.value(value, prop))
            if found and key not in period:
                period[key] = found
    ex.set("temporal", period, DCTERMS.temporal)


def _dcat_ap_de(g: Graph, node: Node) -> _Extra:
    """languages, spatial, temporal, frequency, landing page, contributor id,
    originator and maintainer, under our pipelines' metadata keys."""
    ex = _Extra(g, node)
    publisher = g.value(node, DCTERMS.publisher)
    if isinstance(publisher, URIRef) and str(publisher).startswith("http"):
        ex.values["publisher_uri"] = str(publisher)
    codes = sorted({c for v in g.objects(node, DCTERMS.language)
                    if (c := fields.language_code(str(v)))})
    ex.set("languages", codes, DCTERMS.language)
    for value in g.objects(node, DCTERMS.accrualPeriodicity):
        ex.set("frequency", fields.frequency_code(str(value)), DCTERMS.accrualPeriodicity)
    for value in g.objects(node, DCAT.landingPage):
        if isinstance(value, URIRef) and str(value).startswith(("http://", "https://")):
            ex.set("landing_page", str(value), DCAT.landingPage)
    for value in g.objects(node, DCTERMS.spatial):
        _spatial(ex, value)
    for value in g.objects(node, DCTERMS.temporal):
        _temporal(ex, value)
    de = _dcatde(g, node)
    for prop, value in de.get("politicalGeocodingURI", []):
        ex.set("municipality_key", fields.geocoding_key(str(value)), prop)
    if "municipality_key" in ex.values:  # the level follows from the key
        ex.used.update(p for p, _ in de.get("politicalGeocodingLevelURI", []))
    for prop, value in sorted(de.get("contributorID", []), key=lambda pv: str(pv[1])):
        if isinstance(value, URIRef):
            ex.set("contributor_id", str(value), prop)
    for role, current in (("originator", GEODCATAP.originator),
                          ("maintainer", GEODCATAP.custodian)):
        for value in g.objects(node, current):
            ex.set(role, _agent(g, value), current)
        for prop, value in de.get(role, []):  # DCAT-AP.de before 3.0
            ex.set(role, _agent(g, value), prop)
    if "originator" not in ex.values:
        creators = list(g.objects(node, DCTERMS.creator))
        if len(creators) == 1:  # only a single, simple creator stands in for the originator
            ex.set("originator", _agent(g, creators[0]), DCTERMS.creator)
    return ex


def _distribution(g: Graph, dist: Node) -> dict[str, str] | None:
    url = g.value(dist, DCAT.downloadURL) or g.value(dist, DCAT.accessURL)
    if url is None:
        return None
    fmt = g.value(dist, DCTERMS.format)
    fmt_text = str(fmt).rstrip("/").rsplit("/", 1)[-1] if fmt is not None else ""
    out = {"url": str(url), "format": fmt_text.lower(),
           "name": _text(g, dist, DCTERMS.title) or str(url).rsplit("/", 1)[-1][:100]}
    licence = g.value(dist, DCTERMS.license)
    if licence is not None:
        out["license"] = str(licence)
    return out


def map_dataset(g: Graph, node: Node, report: HarvestReport) -> HarvestRecord:
    """One dcat:Dataset as a record; InputError if it cannot be used."""
    source_id = str(node) if isinstance(node, URIRef) else (
        _text(g, node, DCTERMS.identifier) or "")
    if not source_id:
        raise InputError("a dataset without URI or dct:identifier")
    title = _text(g, node, DCTERMS.title)
    if not title:
        raise InputError("no dct:title", where=source_id)
    description = _text(g, node, DCTERMS.description)
    if not description:
        report.note_gap("description")
    publisher = _publisher(g, node)
    if not publisher:
        report.note_gap("publisher")
    resources = [r for d in g.objects(node, DCAT.distribution) if (r := _distribution(g, d))]
    licences = sorted({r["license"] for r in resources if "license" in r})
    modified = g.value(node, DCTERMS.modified) or g.value(node, DCTERMS.issued)
    extra = _dcat_ap_de(g, node)
    for prop in set(g.predicates(node)) - MAPPED - extra.used:
        report.note_unmapped(g.namespace_manager.normalizeUri(str(prop)))
    for key in sorted(extra.dropped):
        report.note_unmapped(f"{key} (further values)")
    return HarvestRecord(
        source_id=source_id, name=slug(source_id.rstrip('/').rsplit('/', 1)[-1], source_id),
        title=title,
        description=description or "", publisher=publisher or "", source_uri=source_id,
        modified=str(modified) if modified is not None else None,
        keywords=sorted({k for k in (str(o) for o in g.objects(node, DCAT.keyword)) if k}),
        themes=sorted({str(t).rstrip("/").rsplit("/", 1)[-1] for t in g.objects(node, DCAT.theme)}),
        license=licences[0] if licences else None, contact_email=_email(g, node),
        resources=resources, **extra.values)


def parse_page(g: Graph, report: HarvestReport) -> DcatPage:
    records = []
    for node in sorted(set(g.subjects(RDF.type, DCAT.Dataset)), key=str):
        try:
            records.append(map_dataset(g, node, report))
        except InputError as exc:
            report.skipped.append(Skipped(id=str(node), reason=exc.message))
        except Exception as exc:  # a record the mapping did not foresee: skip it, go on
            report.skipped.append(Skipped(id=str(node), reason=f"{type(exc).__name__}"))
    tombstones = [str(s) for s in g.subjects(RDF.type, AS.Tombstone)]
    nxt = next(iter(g.objects(None, HYDRA.next)), None) or next(
        iter(g.objects(None, HYDRA.nextPage)), None)
    return DcatPage(records, tombstones, str(nxt) if nxt is not None else None)


def _format(location: str) -> str | None:
    suffix = Path(urlparse(location).path).suffix.lower()
    return {".ttl": "turtle", ".rdf": "xml", ".xml": "xml", ".jsonld": "json-ld"}.get(suffix)


def _load(location: str, client: httpx.Client | None) -> Graph:
    g = Graph()
    if "://" not in location:
        path = Path(location)
        if not path.is_file():
            raise InputError("the DCAT catalogue file does not exist", where=location)
        try:
            return g.parse(path, format=_format(location) or "xml")
        except Exception as exc:  # rdflib raises many kinds of parse errors
            raise InputError(f"cannot parse the catalogue ({type(exc).__name__})",
                             where=location) from None
    assert client is not None
    try:
        response = client.get(location)
    except httpx.TransportError as exc:
        raise TransientError(f"cannot reach the catalogue ({type(exc).__name__})",
                             where=location) from None
    if response.status_code >= 500:
        raise TransientError(f"the catalogue answered {response.status_code}", where=location)
    if response.status_code >= 400:
        raise InputError(f"the catalogue answered {response.status_code}", where=location)
    media = response.headers.get("content-type", "").split(";")[0].strip()
    syntax = {"text/turtle": "turtle", "application/ld+json": "json-ld",
              "application/rdf+xml": "xml"}.get(media) or _format(location) or "xml"
    try:
        return g.parse(data=response.text, format=syntax)
    except Exception as exc:
        raise InputError(f"cannot parse the catalogue ({type(exc).__name__})",
                         where=location) from None


def pages(location: str, report: HarvestReport, since: str | None = None) -> Iterator[DcatPage]:
    """Every page of the catalogue; with SINCE, only changes (if the server
    understands `modified_since`)."""
    url = location
    if since and "://" in location:
        url = f"{location}{'&' if '?' in location else '?'}{urlencode({'modified_since': since})}"
    seen: set[str] = set()
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        for _ in range(MAX_PAGES):
            if url in seen:
                return
            seen.add(url)
            page = parse_page(_load(url, client), report)
            yield page
            if page.next_url is None or "://" not in location:
                return
            url = page.next_url
