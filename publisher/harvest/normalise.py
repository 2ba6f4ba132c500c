"""One dataset of a harvested catalogue as its own DCAT-AP.de 3.0 graph.

`describe` takes the dataset's description out of the catalogue: the dataset
node, its distributions, contact points, agents, periods, locations, checksums,
identifiers (blank nodes, and described IRIs that are no vocabulary concept and
no other dataset or catalogue). `normalise` writes it in DCAT-AP.de 3.0 and
keeps every value it can: older dcatde namespaces and deprecated properties get
their 3.0 names, a value written another way than the profile asks (a URL as a
literal, a licence or publisher given as text, ISO 639-2/B `GER`) is written the
way it asks, and each such change is reported with old and new value. A value
that has no certain DCAT-AP.de form (a theme outside the EU themes, a format no
EU file type names) is dropped from the graph and reported; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from publisher.harvest import authority, fields
from publisher.harvest.accounting import Change, ItemReport, RecordReport, shown
from publisher.licences import normalise as licence_of
from publisher.metadata import vocab
from publisher.metadata.namespaces import (
    DCATAP,
    DCATDE,
    GEODCATAP,
    GSP,
    LOCN,
    SCHEMA,
    SPDX,
    VCARD,
)

DCAT3 = Namespace(str(DCAT))  # rdflib's DCAT is DCAT 2: no dcat:version, dcat:hasVersion
ADMS = URIRef("http://www.w3.org/ns/adms#")
ADMS_IDENTIFIER = URIRef(ADMS + "identifier")
ADMS_IDENTIFIER_CLASS = URIRef(ADMS + "Identifier")
ADMS_SAMPLE = URIRef(ADMS + "sample")
PROV = "http://www.w3.org/ns/prov#"
# Nodes a dataset's description never takes in: other datasets, catalogues, records,
# and vocabulary (concepts, classes, properties, ontologies).
_NOT_OWN = {DCAT.Dataset, DCAT.Catalog, DCAT.CatalogRecord, DCAT3.DatasetSeries, SKOS.Concept,
            SKOS.ConceptScheme, OWL.Ontology, OWL.Class, RDFS.Class, RDF.Property,
            OWL.ObjectProperty, OWL.DatatypeProperty}
_VOCABULARIES = (vocab.EU, vocab.DCATDE, "http://www.iana.org/", "https://www.iana.org/",
                 "http://id.loc.gov/", "http://lexvo.org/", "http://purl.org/adms/",
                 "http://www.w3.org/", "http://xmlns.com/", "http://purl.org/dc/",
                 "http://spdx.org/rdf/", "http://purl.org/cld/")

# Deprecated properties with a DCAT-AP.de 3.0 (or DCAT 3) successor.
RENAMED: dict[URIRef, tuple[URIRef, str]] = {
    DCATDE.originator: (GEODCATAP.originator, "dcatde:originator is deprecated in DCAT-AP.de 3.0"),
    DCATDE.maintainer: (GEODCATAP.custodian, "dcatde:maintainer is deprecated in DCAT-AP.de 3.0"),
    DCATDE.politicalGeocodingURI: (DCTERMS.spatial, "DCAT-AP.de 3.0 writes the political "
                                   "geocoding URI as dct:spatial"),
    DCTERMS.hasVersion: (DCAT3.hasVersion, "DCAT-AP 3 uses dcat:hasVersion"),
    DCTERMS.isVersionOf: (DCAT3.isVersionOf, "DCAT-AP 3 uses dcat:isVersionOf"),
    OWL.versionInfo: (DCAT3.version, "DCAT-AP 3 uses dcat:version"),
    SCHEMA.startDate: (DCAT.startDate, "DCAT-AP 2 and later use dcat:startDate"),
    SCHEMA.endDate: (DCAT.endDate, "DCAT-AP 2 and later use dcat:endDate"),
    VCARD.email: (VCARD.hasEmail, "vCard 4 (DCAT-AP) uses vcard:hasEmail"),
    VCARD.url: (VCARD.hasURL, "vCard 4 (DCAT-AP) uses vcard:hasURL"),
    VCARD.tel: (VCARD.hasTelephone, "vCard 4 (DCAT-AP) uses vcard:hasTelephone"),
}
_AGENT_PROPS = {DCTERMS.publisher, DCTERMS.creator, DCTERMS.rightsHolder, DCTERMS.contributor,
                GEODCATAP.originator, GEODCATAP.custodian, GEODCATAP.distributor,
                GEODCATAP.processor, GEODCATAP.principalInvestigator,
                GEODCATAP.resourceProvider, GEODCATAP.user}
# Properties whose value the profile wants as an IRI: a literal holding an absolute
# address becomes that IRI; any other literal cannot be one and is dropped.
_LINKS = {DCAT.accessURL, DCAT.downloadURL, DCAT.landingPage, FOAF.page, FOAF.homepage,
          DCTERMS.conformsTo, DCTERMS.source, DCTERMS.relation, DCTERMS.references,
          DCTERMS.isReferencedBy, DCAT3.hasVersion, DCAT3.isVersionOf, DCTERMS.hasPart,
          DCTERMS.isPartOf, ADMS_SAMPLE, DCAT.endpointURL, DCAT.endpointDescription,
          DCATAP.applicableLegislation, DCATDE.qualityProcessURI, VCARD.hasURL,
          DCATDE.politicalGeocodingLevelURI, DCAT.servesDataset}
_TIME = "http://www.w3.org/2006/time#"


@dataclass
class _Out:
    """What a rule makes of one value: new values (with triples describing new
    nodes), or nothing and why."""

    values: list[Node] = field(default_factory=list)
    extra: list[tuple[Node, URIRef, Node]] = field(default_factory=list)
    why: str | None = None  # set: a change (values given) or a drop (no values)


_KEEP = _Out()


def describe(g: Graph, node: Node) -> Graph:
    """The dataset's own description: its triples and those of every node it
    reaches that belongs to it (see the module's doc)."""
    out = Graph()
    todo, seen = [node], {node}
    while todo:
        subject = todo.pop()
        for p, o in g.predicate_objects(subject):
            out.add((subject, p, o))
            if p != RDF.type and o not in seen and _own(g, o):
                seen.add(o)
                todo.append(o)
    return out


def _own(g: Graph, node: Node) -> bool:
    if isinstance(node, BNode):
        return True
    if not isinstance(node, URIRef) or str(node).startswith(_VOCABULARIES):
        return False
    if (node, None, None) not in g:
        return False
    return not any(t in _NOT_OWN for t in g.objects(node, RDF.type))


def _absolute(text: str) -> bool:
    return text.strip().startswith(("http://", "https://", "ftp://", "urn:")) \
        and " " not in text.strip()


def _link(value: Node) -> _Out:
    if isinstance(value, Literal):
        if _absolute(str(value)):
            return _Out([URIRef(str(value).strip())], why="an address written as text: "
                                                          "DCAT-AP asks for an IRI")
        return _Out(why="no address (IRI) where DCAT-AP asks for one")
    return _KEEP


def _vocabulary(value: Node, mapped: str | None, what: str, how: str) -> _Out:
    if mapped is None:
        return _Out(why=f"not {what}")
    if isinstance(value, URIRef) and str(value) == mapped:
        return _KEEP
    return _Out([URIRef(mapped)], why=how)


def _format(value: Node) -> _Out:
    text = str(value)
    if isinstance(value, URIRef) and "/media-types/" in text:
        text = text.split("/media-types/", 1)[-1]
    return _vocabulary(value, authority.file_type(text), "an EU file type",
                       "the EU file type this format names")


def _media_type(value: Node) -> _Out:
    text = str(value).strip()
    if isinstance(value, URIRef) and "iana.org/assignments/media-types/" in text:
        return _KEEP
    return _vocabulary(value, authority.media_type(text), "an IANA media type",
                       "a media type as its IANA address")


def _licence(value: Node) -> _Out:
    if isinstance(value, BNode):
        return _KEEP
    if isinstance(value, URIRef):
        canonical = authority.dcatapde_vocabulary(str(value))
        return _Out([URIRef(canonical)], why="the http form of the DCAT-AP.de licence "
                                             "address") if canonical else _KEEP
    text = str(value).strip()
    known = licence_of(text)
    if known is not None and (known.uri or known.url):
        return _Out([URIRef(known.uri or known.url or "")],
                    why=f"licence '{text}' by the licence list")
    if _absolute(text):
        return _Out([URIRef(text)], why="an address written as text: DCAT-AP asks for an IRI")
    doc = BNode()
    return _Out([doc], [(doc, RDF.type, DCTERMS.LicenseDocument), (doc, RDFS.label, value)],
                why="a licence named in text: kept as a licence document with that name")


def _agent(value: Node) -> _Out:
    if not isinstance(value, Literal):
        return _KEEP
    node = BNode()
    return _Out([node], [(node, RDF.type, FOAF.Agent), (node, FOAF.name, value)],
                why="an agent named in text: kept as an agent with that name")


def _contact(value: Node) -> _Out:
    if not isinstance(value, Literal):
        return _KEEP
    node, text = BNode(), str(value).strip()
    extra: list[tuple[Node, URIRef, Node]] = [(node, RDF.type, VCARD.Kind)]
    if "@" in text and " " not in text:
        extra.append((node, VCARD.hasEmail, URIRef(f"mailto:{text.removeprefix('mailto:')}")))
    elif _absolute(text):
        extra.append((node, VCARD.hasURL, URIRef(text)))
    else:
        extra.append((node, VCARD.fn, value))
    return _Out([node], extra, why="a contact point given as text: kept as a vCard")


def _mail(value: Node) -> _Out:
    text = str(value).strip()
    if isinstance(value, URIRef) and text.startswith("mailto:"):
        return _KEEP
    address = fields.email(text)
    if not address or "@" not in address:
        return _Out(why="no e-mail address")
    return _Out([URIRef(f"mailto:{address}")], why="an e-mail address as a mailto: IRI")


def _phone(value: Node) -> _Out:
    if not isinstance(value, Literal):
        return _KEEP
    digits = "".join(c for c in str(value).replace("(0)", "") if c.isdigit() or c == "+")
    if len(digits.lstrip("+")) < 3:
        return _Out(why="no telephone number")
    return _Out([URIRef(f"tel:{digits}")], why="a telephone number as a tel: IRI (RFC 3966)")


def _identifier(value: Node) -> _Out:
    if not isinstance(value, URIRef):
        return _KEEP
    return _Out([Literal(str(value))], why="DCAT-AP asks for dct:identifier as text")


def _adms_identifier(value: Node) -> _Out:
    node = BNode()
    notation = value if isinstance(value, Literal) else Literal(str(value))
    if isinstance(value, BNode):
        return _KEEP
    return _Out([node], [(node, RDF.type, ADMS_IDENTIFIER_CLASS), (node, SKOS.notation, notation)],
                why="an identifier as an adms:Identifier with its notation")


def _spatial(value: Node) -> _Out:
    if isinstance(value, URIRef):
        canonical = authority.dcatapde_vocabulary(str(value))
        return _Out([URIRef(canonical)], why="the http form of the DCAT-AP.de address") \
            if canonical else _KEEP
    if not isinstance(value, Literal):
        return _KEEP
    text = str(value).strip()
    if _absolute(text):
        return _Out([URIRef(text)], why="an address written as text: DCAT-AP asks for an IRI")
    where = BNode()
    extra: list[tuple[Node, URIRef, Node]] = [(where, RDF.type, DCTERMS.Location)]
    if fields.is_geometry(text):
        shape = BNode()
        json = text.startswith("{")
        literal = Literal(text, datatype=GSP.geoJSONLiteral if json else GSP.wktLiteral)
        extra += [(where, LOCN.geometry, shape), (shape, RDF.type, LOCN.Geometry),
                  (shape, GSP.asGeoJSON if json else GSP.asWKT, literal)]
        why = "a geometry given as text: kept as the geometry of a dct:Location"
    else:
        extra.append((where, LOCN.geographicName, value))
        why = "a place named in text: kept as the name of a dct:Location"
    return _Out([where], extra, why=why)


def _contributor(value: Node) -> _Out:
    text = str(value).strip()
    if isinstance(value, Literal) and text:
        return _Out([URIRef(vocab.contributor_uri(text))],
                    why="a contributor id as its DCAT-AP.de IRI")
    canonical = authority.dcatapde_vocabulary(text)
    return _Out([URIRef(canonical)], why="the http form of the DCAT-AP.de address") \
        if canonical else _KEEP


def _byte_size(value: Node) -> _Out:
    if isinstance(value, Literal) and value.datatype in (None, XSD.string, XSD.integer,
                                                         XSD.int, XSD.long, XSD.decimal):
        text = str(value).strip()
        if text.isdigit():
            return _Out([Literal(text, datatype=XSD.nonNegativeInteger)],
                        why="a byte size as xsd:nonNegativeInteger")
        return _Out(why="no byte size (a whole number)")
    return _KEEP


def _hex(value: Node) -> _Out:
    if not isinstance(value, Literal) or value.datatype == XSD.hexBinary:
        return _KEEP
    text = str(value).strip()
    if len(text) % 2 == 0 and all(c in "0123456789abcdefABCDEF" for c in text) and text:
        return _Out([Literal(text, datatype=XSD.hexBinary)],
                    why="a checksum value as xsd:hexBinary")
    return _Out(why="no checksum value (hexadecimal)")


RULES: dict[URIRef, Callable[[Node], _Out]] = {
    DCTERMS.license: _licence, DCTERMS.format: _format, DCAT.mediaType: _media_type,
    DCAT.compressFormat: _media_type, DCAT.packageFormat: _media_type,
    DCTERMS.language: lambda v: _vocabulary(
        v, authority.language(str(v)), "a language of the EU language table",
        "the EU language table's code for this language"),
    DCAT.theme: lambda v: _vocabulary(
        v, authority.theme(str(v)), "an EU data theme (DCAT-AP.de allows no other in "
        "dcat:theme)", "the EU data theme's own URI"),
    DCTERMS.accrualPeriodicity: lambda v: _vocabulary(
        v, authority.frequency(str(v)), "a frequency of the EU frequency table",
        "the EU frequency table's code for this frequency"),
    DCAT.contactPoint: _contact, VCARD.hasEmail: _mail, FOAF.mbox: _mail,
    VCARD.hasTelephone: _phone, DCTERMS.identifier: _identifier,
    ADMS_IDENTIFIER: _adms_identifier, DCTERMS.spatial: _spatial,
    DCATDE.contributorID: _contributor, DCAT.byteSize: _byte_size, SPDX.checksumValue: _hex,
    **{p: _agent for p in _AGENT_PROPS}, **{p: _link for p in _LINKS},
}


class _Normaliser:
    def __init__(self, source: Graph, dataset: Node, record: RecordReport,
                 stand_ins: dict[URIRef, str]):
        self.src, self.dataset, self.record = source, dataset, record
        self.stand_ins = stand_ins
        self.out = Graph()
        self.ns = Graph(bind_namespaces="rdflib").namespace_manager
        for prefix, ns in (("dcatde", DCATDE), ("geodcatap", GEODCATAP), ("vcard", VCARD),
                           ("locn", LOCN), ("gsp", GSP), ("spdx", SPDX), ("dcatap", DCATAP),
                           ("adms", ADMS), ("schema", SCHEMA), ("dct", DCTERMS)):
            self.ns.bind(prefix, ns, override=True, replace=True)
        self.visited: set[Node] = set()
        self.distributions: list[tuple[ItemReport, Node]] = []

    def curie(self, prop: URIRef) -> str:
        return self.ns.normalizeUri(prop)

    def run(self) -> Graph:
        self.visit(self.dataset, self.record.dataset, "")
        self.fill_gaps()
        return self.out

    def visit(self, node: Node, item: ItemReport, path: str) -> None:
        self.visited.add(node)
        for prop, value in sorted(self.src.predicate_objects(node)):
            assert isinstance(prop, URIRef)
            name, target = self.property(prop, item, path)
            owner = item
            if name == DCAT.distribution and node == self.dataset:
                owner = ItemReport(kind="distribution", id=item_id(self.src, value))
                self.record.distributions.append(owner)
                self.distributions.append((owner, value))
            rule = RULES.get(name)
            done = rule(value) if rule is not None else _KEEP
            label = path + self.curie(name)
            if done.why is not None and not done.values:
                item.dropped.append(Change(label, done.why, old=shown(str(name), value)))
                continue
            values = done.values or [value]
            for new in values:
                self.out.add((node, name, new))
            for triple in done.extra:
                self.out.add(triple)
            if node == self.dataset and name in self.stand_ins:
                item.changed.append(Change(label, self.stand_ins[name], old=None,
                                           new=shown(str(name), values[0])))
            elif done.why is not None:
                item.changed.append(Change(label, done.why, old=shown(str(name), value),
                                           new=shown(str(name), values[0])))
            elif target is None and prop != RDF.type:
                item.keep(label)
            for new in values:
                if new not in self.visited and (new == value and _own(self.src, new)):
                    child_path = "" if owner is not item else f"{label}/"
                    self.visit(new, owner, child_path)

    def property(self, prop: URIRef, item: ItemReport, path: str) -> tuple[URIRef, str | None]:
        """The 3.0 name of PROP; a rename is reported as a change."""
        name, reasons = prop, []
        canonical = authority.dcatde_property(str(prop))
        if canonical:
            name = URIRef(canonical)
            reasons.append("an older dcatde namespace: DCAT-AP.de 3.0 writes "
                           + self.curie(name))
        if name in RENAMED:
            name, reason = RENAMED[name]
            reasons.append(reason)
        why = "; ".join(reasons) or None
        if why is not None:
            item.changed.append(Change(path + self.curie(prop), why, old=self.curie(prop),
                                       new=self.curie(name)))
        return name, why

    def fill_gaps(self) -> None:
        """Values DCAT-AP.de requires that follow from others of the same record."""
        ds, g = self.dataset, self.out
        if (ds, DCTERMS.description, None) not in g:
            titles = list(g.objects(ds, DCTERMS.title))
            for title in titles:
                g.add((ds, DCTERMS.description, title))
            if titles:
                self.record.dataset.changed.append(Change(
                    "dct:description", "DCAT-AP.de requires a description; the source gives "
                    "none, so the title stands in", old=None, new=shown("", titles[0])))
        licences = list(g.objects(ds, DCTERMS.license))
        for item, node in self.distributions:
            if licences and (node, DCTERMS.license, None) not in g:
                for licence in licences:  # the dataset's licence covers its distributions
                    g.add((node, DCTERMS.license, licence))
                    item.changed.append(Change(
                        "dct:license", "a licence given on the dataset only: DCAT-AP.de asks "
                        "for it on each distribution", old=None, new=shown("", licence)))
        landing = g.value(ds, DCAT.landingPage)
        for item, node in self.distributions:
            if (node, DCAT.accessURL, None) in g:
                continue
            # DCAT-AP: the access URL of a download is its download URL; of data only
            # reachable through a web page, that page (the dataset's landing page, or
            # the distribution's own address where it has one)
            stand_ins = [(u, "for a download it is the download URL")
                         for u in g.objects(node, DCAT.downloadURL)]
            if not stand_ins and landing is not None:
                stand_ins = [(landing, "the dataset's landing page stands in")]
            if not stand_ins and str(node).startswith(("http://", "https://")):
                stand_ins = [(node, "the distribution's own address stands in")]
            for url, why in stand_ins:
                g.add((node, DCAT.accessURL, url))
                item.changed.append(Change("dcat:accessURL", "DCAT-AP requires an access "
                                           f"URL and the source gives none: {why}",
                                           old=None, new=str(url)))


def item_id(g: Graph, node: Node) -> str:
    """A distribution's id in the report: its IRI, or for a blank node its address."""
    if isinstance(node, URIRef):
        return str(node)
    url = g.value(node, DCAT.downloadURL) or g.value(node, DCAT.accessURL)
    return f"(blank node) {url}" if url is not None else "(blank node)"


def normalise(source: Graph, dataset: Node, record: RecordReport,
              stand_ins: dict[URIRef, str] | None = None) -> Graph:
    """DATASET's description in SOURCE (see `describe`) in DCAT-AP.de 3.0; what
    was kept, changed and dropped goes into RECORD. STAND_INS: properties of the
    dataset the caller filled in for the source, with the reason."""
    return _Normaliser(source, dataset, record, stand_ins or {}).run()

