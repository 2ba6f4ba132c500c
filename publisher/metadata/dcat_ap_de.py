"""DCAT-AP.de 3.0 (GovData) RDF for a dataset and its distributions.

Concepts from controlled vocabularies (file types, themes, languages,
frequencies, geocoding levels) are written with their `skos:inScheme`, so the
official shapes can check them offline without the EU authority tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from publisher.metadata import vocab
from publisher.metadata.model import Agent, DatasetMetadata, Distribution, Period
from publisher.metadata.namespaces import (
    DCATAP,
    DCATDE,
    ELI,
    GEODCATAP,
    GSP,
    LOCN,
    SPDX,
    VCARD,
)


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("dcatde", DCATDE),
                       ("dcatap", DCATAP), ("vcard", VCARD), ("spdx", SPDX), ("skos", SKOS)):
        g.bind(prefix, ns)
    return g


def dcat_ap_de_graph(meta: DatasetMetadata) -> Graph:
    """The dataset in DCAT-AP.de 3.0."""
    g = new_graph()
    add_dataset(g, meta)
    return g


def add_catalog(g: Graph, uri: str, title: str, description: str, publisher: str,
                datasets: Iterable[str], *, homepage: str | None = None,
                language: str = "DEU") -> URIRef:
    """A dcat:Catalog node listing datasets already added to the graph."""
    node = URIRef(uri)
    g.add((node, RDF.type, DCAT.Catalog))
    g.add((node, DCTERMS.title, Literal(title, lang="de")))
    g.add((node, DCTERMS.description, Literal(description, lang="de")))
    g.add((node, DCTERMS.publisher, agent_node(g, publisher, None)))
    concept(g, node, DCTERMS.language, vocab.language_uri(language), vocab.LANGUAGE)
    if homepage:
        g.add((node, FOAF.homepage, URIRef(homepage)))
    for ds in datasets:
        g.add((node, DCAT.dataset, URIRef(ds)))
    return node


def add_dataset_core(g: Graph, meta: DatasetMetadata, *, known_only: bool) -> URIRef:
    """What DCAT-AP.de and DCAT-AP.AT say alike about a dataset. With known_only,
    a theme, language or frequency outside the EU vocabulary is not typed as a
    concept of that scheme (so the shapes can name it)."""
    def scheme(value: str, known: frozenset[str], scheme_uri: str) -> str | None:
        return scheme_uri if not known_only or vocab.known(value, known) else None

    ds = URIRef(meta.uri)
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.title, Literal(meta.title, lang="de")))
    g.add((ds, DCTERMS.description, Literal(meta.description, lang="de")))
    g.add((ds, DCTERMS.identifier, Literal(meta.uri)))
    g.add((ds, DCTERMS.publisher, agent_node(g, meta.publisher, meta.publisher_uri)))
    for keyword in meta.keywords:
        g.add((ds, DCAT.keyword, Literal(keyword, lang="de")))
    for theme in meta.themes:
        concept(g, ds, DCAT.theme, vocab.theme_uri(theme),
                scheme(theme, vocab.THEMES, vocab.DATA_THEME))
    for language in meta.languages:
        concept(g, ds, DCTERMS.language, vocab.language_uri(language),
                scheme(language, vocab.LANGUAGES, vocab.LANGUAGE))
    if meta.frequency:
        concept(g, ds, DCTERMS.accrualPeriodicity, vocab.frequency_uri(meta.frequency),
                scheme(meta.frequency, vocab.FREQUENCIES, vocab.FREQUENCY))
    if meta.contact:
        g.add((ds, DCAT.contactPoint, contact_node(g, meta)))
    if meta.temporal:
        g.add((ds, DCTERMS.temporal, period_node(g, meta.temporal)))
    return ds


def add_dataset(g: Graph, meta: DatasetMetadata) -> URIRef:
    ds = add_dataset_core(g, meta, known_only=True)
    if meta.contributor_id:
        g.add((ds, DCATDE.contributorID, URIRef(vocab.contributor_uri(meta.contributor_id))))
    if meta.geocoding:
        place, level = meta.geocoding
        # DCAT-AP.de 3.0: the geocoding URI goes to dct:spatial (politicalGeocodingURI
        # is deprecated); the level stays dcatde:politicalGeocodingLevelURI.
        g.add((ds, DCTERMS.spatial, URIRef(place)))
        g.add((URIRef(place), RDF.type, DCTERMS.Location))
        concept(g, ds, DCATDE.politicalGeocodingLevelURI, level, vocab.GEOCODING_LEVEL)
    add_location(g, ds, meta)
    # DCAT-AP.de 3.0: dcatde:originator and dcatde:maintainer are deprecated for
    # geodcatap:originator and geodcatap:custodian.
    for role, agent in ((GEODCATAP.originator, meta.originator),
                        (GEODCATAP.custodian, meta.maintainer)):
        if agent:
            g.add((ds, role, role_agent_node(g, agent)))
    for eli in meta.applicable_legislation:
        g.add((ds, DCATAP.applicableLegislation, URIRef(eli)))
        g.add((URIRef(eli), RDF.type, ELI.LegalResource))
    if meta.landing_page:
        g.add((ds, DCAT.landingPage, URIRef(meta.landing_page)))
    if meta.modified:
        g.add((ds, DCTERMS.modified, Literal(meta.modified.isoformat(timespec="seconds"),
                                             datatype=XSD.dateTime)))
    for dist in meta.distributions:
        g.add((ds, DCAT.distribution, _distribution(g, meta, dist)))
    return ds


def agent_node(g: Graph, name: str, uri: str | None) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(uri) if uri else BNode()
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(name, lang="de")))
    return node


def role_agent_node(g: Graph, agent: Agent) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(agent.uri) if agent.uri else BNode()
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, FOAF.name, Literal(agent.name)))
    if agent.email:
        g.add((node, FOAF.mbox, URIRef(f"mailto:{agent.email}")))
    return node


def _temporal_literal(value: str) -> Literal | None:
    """An ISO year, date or date-time as its XSD literal; None for anything else."""
    if re.fullmatch(r"\d{4}", value):
        return Literal(value, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return Literal(value, datatype=XSD.date)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?", value):
        return Literal(value, datatype=XSD.dateTime)
    return None


def period_node(g: Graph, period: Period) -> BNode:
    node = BNode()
    g.add((node, RDF.type, DCTERMS.PeriodOfTime))
    for prop, value in ((DCAT.startDate, period.start), (DCAT.endDate, period.end)):
        literal = _temporal_literal(value) if value else None
        if literal is not None:
            g.add((node, prop, literal))
    return node


def _geo_literal(value: str) -> Literal:
    """WKT, or GeoJSON when it is a JSON object."""
    kind = GSP.geoJSONLiteral if value.lstrip().startswith("{") else GSP.wktLiteral
    return Literal(value, datatype=kind)


def add_location(g: Graph, ds: URIRef, meta: DatasetMetadata) -> None:
    """Place name, geometry and bounding box as one dct:Location (DCAT-AP 3:
    the geometry is a locn:Geometry node, the bbox a literal)."""
    if not (meta.place or meta.geometry or meta.bbox):
        return
    where = BNode()
    g.add((ds, DCTERMS.spatial, where))
    g.add((where, RDF.type, DCTERMS.Location))
    if meta.place:
        g.add((where, LOCN.geographicName, Literal(meta.place, lang="de")))
    if meta.geometry:
        shape = BNode()
        g.add((where, LOCN.geometry, shape))
        g.add((shape, RDF.type, LOCN.Geometry))
        literal = _geo_literal(meta.geometry)
        prop = GSP.asGeoJSON if literal.datatype == GSP.geoJSONLiteral else GSP.asWKT
        g.add((shape, prop, literal))
    if meta.bbox:
        g.add((where, DCAT.bbox, _geo_literal(meta.bbox)))


def contact_node(g: Graph, meta: DatasetMetadata) -> BNode:
    assert meta.contact is not None
    c = meta.contact
    node = BNode()
    g.add((node, RDF.type, VCARD.Organization))
    g.add((node, VCARD.fn, Literal(c.name)))
    if c.email:
        g.add((node, VCARD.hasEmail, URIRef(f"mailto:{c.email}")))
    if c.url:
        g.add((node, VCARD.hasURL, URIRef(c.url)))
    if c.phone:
        # DCAT-AP.de 3.0: an IRI (RFC 3966 tel:), not a literal
        g.add((node, VCARD.hasTelephone, URIRef(tel_uri(c.phone))))
    return node


def tel_uri(phone: str) -> str:
    """A telephone number as a tel: IRI: visual separators dropped, '+' kept."""
    digits = re.sub(r"[^\d+]", "", phone.replace("(0)", ""))
    return f"tel:{digits}"


def concept(g: Graph, subject: URIRef, predicate: URIRef, uri: str,
             scheme: str | None) -> None:
    node = URIRef(uri)
    g.add((subject, predicate, node))
    g.add((node, RDF.type, SKOS.Concept))
    if scheme:
        g.add((node, SKOS.inScheme, URIRef(scheme)))


def _distribution(g: Graph, meta: DatasetMetadata, dist: Distribution) -> URIRef:
    node = URIRef(f"{meta.uri}/distribution/{dist.key}")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(dist.title, lang="de")))
    if dist.description:
        g.add((node, DCTERMS.description, Literal(dist.description, lang="de")))
    g.add((node, DCAT.accessURL, URIRef(dist.access_url)))
    g.add((node, DCAT.downloadURL, URIRef(dist.download_url)))
    g.add((node, DCAT.byteSize, Literal(dist.bytes, datatype=XSD.nonNegativeInteger)))
    if dist.file_type_uri:
        concept(g, node, DCTERMS.format, dist.file_type_uri, vocab.FILE_TYPE)
        g.add((URIRef(dist.file_type_uri), RDF.type, DCTERMS.MediaTypeOrExtent))
    if dist.media_type_uri:
        g.add((node, DCAT.mediaType, URIRef(dist.media_type_uri)))
        g.add((URIRef(dist.media_type_uri), RDF.type, DCTERMS.MediaType))
    if dist.conforms_to:
        g.add((node, DCTERMS.conformsTo, URIRef(dist.conforms_to)))
        g.add((URIRef(dist.conforms_to), RDF.type, DCTERMS.Standard))
    if meta.licence and meta.licence.uri:
        concept(g, node, DCTERMS.license, meta.licence.uri, None)  # in the vocabulary
        g.add((URIRef(meta.licence.uri), RDF.type, DCTERMS.LicenseDocument))
    if meta.attribution:
        g.add((node, DCATDE.licenseAttributionByText, Literal(meta.attribution, lang="de")))
    checksum = BNode()
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(dist.sha256, datatype=XSD.hexBinary)))
    return node
