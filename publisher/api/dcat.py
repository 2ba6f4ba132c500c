"""DCAT-AP.de graphs of local catalogue entries (through publisher.metadata),
the harvesting catalogue pages with Hydra paging links, and tombstones.

A deletion (or a dataset made private after being public) is written as

    <dataset-uri> a as:Tombstone ; as:formerType dcat:Dataset ;
        as:deleted "..."^^xsd:dateTime ; dct:modified "..."^^xsd:dateTime .

outside the catalogue's `dcat:dataset` list, so DCAT-AP shapes do not apply
to it and a harvester that knows the URI can delete its copy.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from publisher.api.catalog import Catalog, FeedItem
from publisher.api.harvested import add_harvested
from publisher.catalog.records import (
    entry_metadata,
    is_harvested,
    modified,
    record_uri,
    served_uri,
)
from publisher.catalog.store import CatalogEntry
from publisher.harvest.concepts import add_licence_titles
from publisher.harvest.lean import lean
from publisher.metadata import add_catalog, add_dataset, new_graph
from publisher.metadata.namespaces import AS, HYDRA

log = logging.getLogger("publisher.api")
FORMATS = {"ttl": ("turtle", "text/turtle"), "rdf": ("xml", "application/rdf+xml"),
           "jsonld": ("json-ld", "application/ld+json")}


def dataset_graph(cat: Catalog, entry: CatalogEntry) -> Graph:
    g = new_graph()
    if is_harvested(entry):
        add_harvested(g, cat.base, entry, modified(entry))
        lean(g)
    else:
        add_dataset(g, entry_metadata(cat.base, entry))
    add_licence_titles(g)
    return g


def _stamp(value: str) -> Literal:
    return Literal(value, datatype=XSD.dateTime)


def catalog_page(cat: Catalog, items: list[FeedItem], *, page_url: str, first_url: str,
                 next_url: str | None, limit: int, title: str, publisher: str) -> Graph:
    """One page of the harvesting catalogue. A record that cannot be mapped is
    left out and logged; the rest of the page is still served."""
    g = new_graph()
    g.bind("hydra", HYDRA)
    g.bind("as", AS)
    datasets, records = [], []
    for item in items:
        uri = served_uri(cat.base, item.entry)
        if item.deleted:
            node = URIRef(uri)
            g.add((node, RDF.type, AS.Tombstone))
            g.add((node, AS.formerType, DCAT.Dataset))
            g.add((node, AS.deleted, _stamp(item.modified)))
            g.add((node, DCTERMS.modified, _stamp(item.modified)))
            g.add((node, DCTERMS.identifier, Literal(uri)))
            continue
        try:
            if is_harvested(item.entry):
                add_harvested(g, cat.base, item.entry, item.modified)
                records.append(record_uri(cat.base, item.entry))
            else:
                add_dataset(g, entry_metadata(cat.base, item.entry))
        except Exception as exc:
            log.warning("dataset %s left out of the catalogue: %s", item.entry.name,
                        type(exc).__name__)
            continue
        datasets.append(uri)
    node = add_catalog(g, f"{cat.base}/catalog", title,
                       "Veröffentlichte (anonymisierte) offene Daten.", publisher, datasets,
                       homepage=cat.base)
    for record in records:  # harvested datasets: when this catalogue took them in
        g.add((node, DCAT.record, URIRef(record)))
    if records:
        lean(g)
    add_licence_titles(g)
    stamps = [modified(e) for e in cat.entries()]
    if stamps:  # the latest change, so an unchanged catalogue keeps its ETag
        g.add((node, DCTERMS.modified, _stamp(max(stamps))))
    view = URIRef(page_url)
    for kind in (HYDRA.PagedCollection, HYDRA.PartialCollectionView):
        g.add((view, RDF.type, kind))
    g.add((view, HYDRA.itemsPerPage, Literal(limit)))
    g.add((view, HYDRA.first, URIRef(first_url)))
    g.add((view, HYDRA.firstPage, URIRef(first_url)))
    if next_url:
        g.add((view, HYDRA.next, URIRef(next_url)))
        g.add((view, HYDRA.nextPage, URIRef(next_url)))
    return g


def page_urls(base: str, suffix: str, params: dict[str, str],
              next_cursor: str | None) -> tuple[str, str, str | None]:
    """(this page, first page, next page): the same filters, a different cursor."""
    keep = {k: v for k, v in params.items() if k != "cursor"}
    this = f"{base}/catalog.{suffix}" + (f"?{urlencode(params)}" if params else "")
    first = f"{base}/catalog.{suffix}" + (f"?{urlencode(keep)}" if keep else "")
    nxt = (f"{base}/catalog.{suffix}?{urlencode({**keep, 'cursor': next_cursor})}"
           if next_cursor else None)
    return this, first, nxt
