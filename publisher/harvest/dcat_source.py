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
from urllib.parse import urlencode, urlparse

import httpx
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from rdflib.term import Node

from publisher.errors import InputError, TransientError
from publisher.harvest.model import HarvestRecord, HarvestReport, Skipped, slug

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
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
    return str(email).removeprefix("mailto:") if email is not None else None


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
    for prop in set(g.predicates(node)) - MAPPED:
        report.note_unmapped(g.namespace_manager.normalizeUri(str(prop)))
    return HarvestRecord(
        source_id=source_id, name=slug(source_id.rstrip('/').rsplit('/', 1)[-1], source_id),
        title=title,
        description=description or "", publisher=publisher or "", source_uri=source_id,
        modified=str(modified) if modified is not None else None,
        keywords=sorted({k for k in (str(o) for o in g.objects(node, DCAT.keyword)) if k}),
        themes=sorted({str(t).rstrip("/").rsplit("/", 1)[-1] for t in g.objects(node, DCAT.theme)}),
        license=licences[0] if licences else None, contact_email=_email(g, node),
        resources=resources)


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
