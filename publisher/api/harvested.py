"""The DCAT of a harvested entry: the dataset's own description as the harvest
kept it (publisher.harvest.normalise), under the dataset's own IRI in the
source, with its distributions, the city's addresses and every value; and the
harvest as metadata beside it, a dcat:CatalogRecord saying when this catalogue
took the dataset in.
"""

from __future__ import annotations

import datetime as dt

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from publisher.catalog.records import kept_graph, record_uri, served_uri
from publisher.catalog.store import CatalogEntry
from publisher.harvest.concepts import add_entailed
from publisher.harvest.normalise import ADMS
from publisher.metadata.namespaces import GEODCATAP, GSP, LOCN

DCAT_RESOURCE = URIRef(str(DCAT) + "Resource")


def add_harvested(g: Graph, base: str, entry: CatalogEntry, modified: str) -> URIRef:
    """Add the entry's description and its catalogue record to G; the dataset IRI."""
    text = kept_graph(entry)
    assert text is not None
    own = Graph().parse(data=text, format="nt")
    uri = URIRef(served_uri(base, entry))
    nodes = list(own.subjects(RDF.type, DCAT.Dataset))
    for node in nodes:
        if isinstance(node, BNode):
            for p, o in list(own.predicate_objects(node)):
                own.remove((node, p, o))
                own.add((uri, p, o))
            for s, p in list(own.subject_predicates(node)):
                own.remove((s, p, node))
                own.add((s, p, uri))
    add_entailed(own)
    own.add((uri, RDF.type, DCAT_RESOURCE))  # DCAT 3: every dataset is a dcat:Resource
    g += own
    for prefix, ns in (("geodcatap", GEODCATAP), ("locn", LOCN), ("gsp", GSP),
                       ("adms", ADMS)):
        g.bind(prefix, ns)
    record = URIRef(record_uri(base, entry))
    g.add((record, RDF.type, DCAT.CatalogRecord))
    g.add((record, FOAF.primaryTopic, uri))
    stamp = dt.datetime.fromisoformat(modified).isoformat(timespec="seconds")
    g.add((record, DCTERMS.modified, Literal(stamp, datatype=XSD.dateTime)))
    return uri
