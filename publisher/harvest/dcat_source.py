"""A DCAT catalogue as a harvest source: a local file or an http(s) address,
pages followed by their Hydra links (`hydra:next` or `hydra:nextPage`, as IRI or
text) up to a limit, deletions learned from `as:Tombstone` entries where the
catalogue has them.

Each dcat:Dataset is mapped on its own (publisher.harvest.dcat_map); one that
cannot be mapped (no title, say) is reported and skipped. Pages that are not
read (a file holding one page of several, the page limit reached, fewer
datasets than the catalogue announces) are findings that name them, and mark
the harvest incomplete, so nothing is deleted for want of having been seen.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlparse, urlunparse

import httpx
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from rdflib.term import Node

from publisher.errors import InputError, TransientError
from publisher.harvest.dcat_map import map_dataset
from publisher.harvest.model import HarvestRecord, HarvestReport, Skipped
from publisher.metadata.namespaces import AS, HYDRA
from publisher.report import Finding, Severity

MAX_PAGES = 10_000
_VIEWS = (HYDRA.PagedCollection, HYDRA.PartialCollectionView, HYDRA.Collection)
_PAGE_PARAMS = ("page", "p", "pageNumber")


@dataclass
class Paging:
    """What a page says about the paged catalogue it belongs to (Hydra)."""

    page: str | None = None
    next: str | None = None
    last: str | None = None
    total: int | None = None  # hydra:totalItems
    per_page: int | None = None  # hydra:itemsPerPage


@dataclass
class DcatPage:
    records: list[HarvestRecord]
    tombstones: list[str]  # source ids
    paging: Paging = field(default_factory=Paging)
    datasets: int = 0  # dcat:Dataset nodes on the page, mapped or not
    # per source id, when the dataset last changed in the source's catalogue (its
    # dcat:CatalogRecord if it has one): the watermark of the next incremental harvest
    stamps: dict[str, str] = field(default_factory=dict)

    @property
    def next_url(self) -> str | None:
        return self.paging.next


def _value(g: Graph, node: Node, *props: URIRef) -> str | None:
    for prop in props:
        value = g.value(node, prop)
        if value is not None:
            return str(value).strip()
    return None


def _number(g: Graph, node: Node, prop: URIRef) -> int | None:
    value = g.value(node, prop)
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def paging(g: Graph) -> Paging:
    views = sorted({v for kind in _VIEWS for v in g.subjects(RDF.type, kind)}
                   | set(g.subjects(HYDRA.next, None)) | set(g.subjects(HYDRA.nextPage, None)),
                   key=str)
    if not views:
        return Paging()
    view = next((v for v in views if (v, HYDRA.next, None) in g or (v, HYDRA.nextPage, None)
                 in g), views[0])
    return Paging(page=str(view) if isinstance(view, URIRef) else None,
                  next=_value(g, view, HYDRA.next, HYDRA.nextPage),
                  last=_value(g, view, HYDRA.last, HYDRA.lastPage),
                  total=_number(g, view, HYDRA.totalItems),
                  per_page=_number(g, view, HYDRA.itemsPerPage))


def _stamp(g: Graph, node: Node) -> str | None:
    for record in g.subjects(FOAF.primaryTopic, node):
        if (record, RDF.type, DCAT.CatalogRecord) in g and (found := g.value(record,
                                                                             DCTERMS.modified)):
            return str(found)
    found = g.value(node, DCTERMS.modified) or g.value(node, DCTERMS.issued)
    return str(found) if found is not None else None


def parse_page(g: Graph, report: HarvestReport) -> DcatPage:
    records, stamps = [], {}
    nodes = sorted(set(g.subjects(RDF.type, DCAT.Dataset)), key=str)
    for node in nodes:
        try:
            record = map_dataset(g, node, report)
        except InputError as exc:
            report.skipped.append(Skipped(id=str(node), reason=exc.message))
            continue
        except Exception as exc:  # a record the mapping did not foresee: skip it, go on
            report.skipped.append(Skipped(id=str(node), reason=f"{type(exc).__name__}"))
            continue
        records.append(record)
        if stamp := _stamp(g, node):
            stamps[record.source_id] = stamp
    tombstones = [str(s) for s in g.subjects(RDF.type, AS.Tombstone)]
    return DcatPage(records, tombstones, paging(g), len(nodes), stamps)


def _page_number(url: str | None) -> tuple[str, int] | None:
    """(parameter, number) of a page address like …?page=3."""
    if not url:
        return None
    for key, value in parse_qsl(urlparse(url).query):
        if key in _PAGE_PARAMS and value.isdigit():
            return key, int(value)
    return None


def _with_page(url: str, key: str, number: int) -> str:
    parts = urlparse(url)
    query = [(k, str(number) if k == key else v) for k, v in parse_qsl(parts.query)]
    return urlunparse(parts._replace(query=urlencode(query)))


def missing_pages(page: DcatPage) -> str:
    """Which pages a file holding one page of a paged catalogue lacks."""
    p = page.paging
    held = f"{page.datasets}" + (f" of {p.total}" if p.total is not None else "")
    this, nxt = _page_number(p.page), _page_number(p.next)
    last_number = _page_number(p.last)
    last = last_number[1] if last_number else (
        math.ceil(p.total / p.per_page) if p.total and p.per_page else None)
    if nxt is not None and p.next and last is not None and last >= nxt[1]:
        key, first_missing = nxt
        numbers = range(first_missing, last + 1)
        of = f"page {this[1]} of {last}" if this else f"one page of {last}"
        return (f"the file holds {of} ({held} datasets); missing: "
                + ", ".join(f"page {n} ({_with_page(p.next, key, n)})" for n in numbers))
    until = f" to {p.last}" if p.last else ""
    return (f"the file holds one page of a paged catalogue ({held} datasets); missing: "
            f"the pages from {p.next}{until}")


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


def _incomplete(report: HarvestReport, kind: str, message: str, hint: str) -> None:
    report.complete = False
    report.findings.append(Finding(type=kind, message=message, severity=Severity.WARN,
                                   resource=report.source, hint=hint))


def pages(location: str, report: HarvestReport, since: str | None = None,
          max_pages: int = MAX_PAGES) -> Iterator[DcatPage]:
    """Every page of the catalogue, up to MAX_PAGES; with SINCE, only changes (if
    the server understands `modified_since`)."""
    url = location
    if since and "://" in location:
        url = f"{location}{'&' if '?' in location else '?'}{urlencode({'modified_since': since})}"
    seen: set[str] = set()
    announced: int | None = None
    read = 0
    with httpx.Client(timeout=60, follow_redirects=True) as client:
        for _ in range(max_pages):
            if url in seen:
                return
            seen.add(url)
            page = parse_page(_load(url, client), report)
            announced = page.paging.total if announced is None else announced
            read += page.datasets
            yield page
            if "://" not in location:
                if page.next_url:
                    _incomplete(report, "harvest-missing-pages", missing_pages(page),
                                "harvest the catalogue's address, so its pages are followed")
                return
            if page.next_url is None:
                if since is None and announced is not None and read < announced:
                    _incomplete(report, "harvest-fewer-datasets",
                                f"the catalogue announces {announced} datasets (hydra:"
                                f"totalItems); its pages held {read}",
                                "check the catalogue's paging")
                return
            url = page.next_url
    _incomplete(report, "harvest-page-limit",
                f"stopped after {max_pages} pages (the page limit); not read: {url} and "
                "any pages after it", "raise --max-pages (PUBLISHER_HARVEST_MAX_PAGES)")
