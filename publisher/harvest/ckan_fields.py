"""A harvested description (DCAT-AP.de 3.0) as the fields of a CKAN dataset and
its resources: the project's scheming schema (deploy/ckan/publisher_dataset.yaml),
under the names ckanext-dcat's scheming profile uses, so that CKAN's own DCAT
output says the same again. Every value goes somewhere or is reported: a
property no field holds, a second value of a one-value field, a field the
CKAN's schema lacks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from publisher.harvest.accounting import Change, shown
from publisher.harvest.normalise import ADMS, ADMS_IDENTIFIER, DCAT3, item_id
from publisher.metadata import vocab
from publisher.metadata.namespaces import DCATAP, DCATDE, GEODCATAP, GSP, LOCN, SPDX, VCARD

Value = Any
Dropped = list[tuple[str, str, Change]]  # (item kind, item id, what and why)
_NO_FIELD = "the CKAN schema has no field for it"


@dataclass
class Mapped:
    """A dataset as CKAN fields, and what of it found no field."""

    id: str = ""  # the dataset's in the source
    dataset: dict[str, Value] = field(default_factory=dict)
    resources: list[dict[str, Value]] = field(default_factory=list)
    dropped: Dropped = field(default_factory=list)


def _text(g: Graph, node: Node, *props: URIRef) -> str:
    for prop in props:
        values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
        for wanted in ("de", None):
            for v in values:
                if v.language == wanted:
                    return str(v)
        if values:
            return str(values[0])
    return ""


def _iri(g: Graph, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    return str(value) if value is not None else ""


def _mail(value: str) -> str:
    return value.removeprefix("mailto:")


def _agent(g: Graph, node: Node) -> dict[str, str]:
    return {"uri": str(node) if isinstance(node, URIRef) else "",
            "name": _text(g, node, FOAF.name, VCARD.fn),
            "email": _mail(_iri(g, node, FOAF.mbox) or _iri(g, node, VCARD.hasEmail)),
            "url": _iri(g, node, FOAF.homepage) or _iri(g, node, FOAF.workplaceHomepage),
            "type": _iri(g, node, DCTERMS.type)}


def _contact(g: Graph, node: Node) -> dict[str, str]:
    return {"uri": str(node) if isinstance(node, URIRef) else "",
            "name": _text(g, node, VCARD.fn, VCARD["organization-name"]),
            "email": _mail(_iri(g, node, VCARD.hasEmail)),
            "url": _iri(g, node, VCARD.hasURL),
            "phone": _iri(g, node, VCARD.hasTelephone).removeprefix("tel:"),
            "identifier": _text(g, node, VCARD.hasUID)}


_AGENT_PARTS = {RDF.type, FOAF.name, VCARD.fn, FOAF.mbox, VCARD.hasEmail, FOAF.homepage,
                FOAF.workplaceHomepage, DCTERMS.type}
_CONTACT_PARTS = {RDF.type, VCARD.fn, VCARD["organization-name"], VCARD.hasEmail,
                  VCARD.hasURL, VCARD.hasTelephone, VCARD.hasUID}


def _period(g: Graph, node: Node) -> dict[str, str]:
    return {"start": _text(g, node, DCAT.startDate), "end": _text(g, node, DCAT.endDate)}


def _geo(g: Graph, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    if value is not None and not isinstance(value, Literal):
        value = g.value(value, GSP.asGeoJSON) or g.value(value, GSP.asWKT)
    return str(value) if value is not None else ""


def _location(g: Graph, node: Node) -> dict[str, str]:
    return {"uri": str(node) if isinstance(node, URIRef) else "",
            "text": _text(g, node, LOCN.geographicName, SKOS.prefLabel, RDFS.label),
            "geom": _geo(g, node, LOCN.geometry), "bbox": _geo(g, node, DCAT.bbox),
            "centroid": _geo(g, node, DCAT.centroid)}


_LOCATION_PARTS = {RDF.type, LOCN.geographicName, SKOS.prefLabel, RDFS.label, LOCN.geometry,
                   DCAT.bbox, DCAT.centroid}
_GEOCODING = vocab.DCATDE + "politicalGeocoding/"


def _rights(g: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        return str(node)
    return _text(g, node, DCTERMS.description, RDFS.label)


def _licence_text(g: Graph, node: Node) -> str:
    return str(node) if isinstance(node, URIRef) else _text(g, node, RDFS.label)


class _Item:
    """One dataset or distribution being mapped: the fields, and the properties used."""

    def __init__(self, g: Graph, node: Node, kind: str, out: Mapped):
        self.g, self.node, self.kind, self.out = g, node, kind, out
        self.fields: dict[str, Value] = {}
        self.used: set[URIRef] = {RDF.type}

    def drop(self, prop: str, value: Node | str | None, why: str = _NO_FIELD) -> None:
        self.out.dropped.append((self.kind, self.out.id if self.kind == "dataset" else
                                 item_id(self.g, self.node), Change(prop, why,
                                                                    old=shown(prop, value))))

    def one(self, prop: URIRef, name: str, read: Callable[[Node], Value] = str) -> None:
        """A field holding one value: the first (German) one; others are reported."""
        values = sorted(self.g.objects(self.node, prop),
                        key=lambda v: (getattr(v, "language", None) not in ("de", None), str(v)))
        self.used.add(prop)
        if not values:
            return
        self.fields[name] = read(values[0])
        for extra in values[1:]:
            self.drop(_curie(prop), extra, f"the CKAN field '{name}' holds one value")

    def many(self, prop: URIRef, name: str, read: Callable[[Node], Value] = str) -> None:
        values = sorted(self.g.objects(self.node, prop), key=str)
        self.used.add(prop)
        if values:
            self.fields.setdefault(name, [])
            self.fields[name] += [read(v) for v in values]

    def nested(self, prop: URIRef, name: str, read: Callable[[Graph, Node], dict[str, str]],
               parts: set[URIRef]) -> None:
        """A repeating field of sub-fields; a sub-property no sub-field holds is reported."""
        self.used.add(prop)
        for value in sorted(self.g.objects(self.node, prop), key=str):
            self.fields.setdefault(name, []).append(read(self.g, value))
            for sub, inner in self.g.predicate_objects(value):
                if sub not in parts:
                    self.drop(f"{_curie(prop)}/{_curie(sub)}", inner)

    def rest(self) -> None:
        for prop, value in sorted(self.g.predicate_objects(self.node)):
            if prop not in self.used:
                self.drop(_curie(prop), value)


_NS = Graph(bind_namespaces="rdflib").namespace_manager
for _prefix, _ns in (("dcatde", DCATDE), ("geodcatap", GEODCATAP), ("vcard", VCARD),
                     ("locn", LOCN), ("spdx", SPDX), ("dcatap", DCATAP), ("dct", DCTERMS),
                     ("adms", ADMS)):
    _NS.bind(_prefix, _ns, override=True, replace=True)


def _curie(prop: Node) -> str:
    return _NS.normalizeUri(prop) if isinstance(prop, URIRef) else str(prop)


def ckan_tags(keywords: Iterable[str]) -> list[dict[str, str]]:
    """Keywords as CKAN tags (letters, digits, space, - _ .; 2 to 100 characters)."""
    found = {text for keyword in keywords
             if len(text := re.sub(r"[^\w \-.]", " ", keyword).strip()[:100]) >= 2}
    return [{"name": tag} for tag in sorted(found)]


def _dataset(g: Graph, ds: Node, out: Mapped, licence_id: Callable[[str], str | None]) -> None:
    item = _Item(g, ds, "dataset", out)
    item.one(DCTERMS.title, "title")
    item.one(DCTERMS.description, "notes")
    item.used.add(DCAT.keyword)
    item.fields["tags"] = ckan_tags(str(k) for k in g.objects(ds, DCAT.keyword))
    item.many(DCAT.theme, "theme")
    item.many(DCTERMS.language, "language")
    item.one(DCTERMS.accrualPeriodicity, "frequency")
    item.one(DCTERMS.issued, "issued")
    item.one(DCTERMS.modified, "modified")
    item.one(DCTERMS.identifier, "identifier")
    item.one(DCAT3.version, "version")
    item.one(DCAT.landingPage, "url")
    item.one(DCTERMS.accessRights, "access_rights", lambda v: _rights(g, v))
    item.one(DCTERMS.provenance, "provenance", lambda v: _rights(g, v))
    item.many(DCATDE.contributorID, "contributor_id")
    item.one(DCATDE.politicalGeocodingLevelURI, "political_geocoding_level_uri")
    item.one(DCATDE.legalBasis, "legal_basis")
    item.one(DCATDE.qualityProcessURI, "quality_process_uri")
    item.one(DCATDE.geocodingDescription, "geocoding_description")
    item.one(DCATDE.licenseAttributionByText, "license_attribution_by_text")
    item.many(DCATAP.applicableLegislation, "applicable_legislation")
    item.many(DCTERMS.conformsTo, "conforms_to")
    item.many(FOAF.page, "documentation")
    item.many(DCAT3.hasVersion, "has_version")
    item.many(DCTERMS.isReferencedBy, "is_referenced_by")
    item.many(ADMS_IDENTIFIER, "alternate_identifier",
              lambda v: _text(g, v, SKOS.notation) or str(v))
    item.nested(DCAT.contactPoint, "contact", _contact, _CONTACT_PARTS)
    item.nested(DCTERMS.publisher, "publisher", _agent, _AGENT_PARTS)
    item.nested(DCTERMS.creator, "creator", _agent, _AGENT_PARTS)
    item.nested(DCTERMS.temporal, "temporal_coverage", _period,
                {RDF.type, DCAT.startDate, DCAT.endDate})
    _spatial(item)
    for prop, name in ((GEODCATAP.originator, "author"), (GEODCATAP.custodian, "maintainer")):
        item.used.add(prop)
        agents = sorted(g.objects(ds, prop), key=str)
        for number, agent in enumerate(agents):
            found = _agent(g, agent)
            if number:
                item.drop(_curie(prop), found["name"], f"the CKAN field '{name}' holds one agent")
                continue
            item.fields[name], item.fields[f"{name}_email"] = found["name"], found["email"]
    item.used.add(DCTERMS.license)
    licences = [_licence_text(g, v) for v in g.objects(ds, DCTERMS.license)]
    item.used.add(DCAT.distribution)
    out.dataset.update(item.fields)
    out.dataset["uri"] = str(ds) if isinstance(ds, URIRef) else ""
    given = licences or [_licence_text(g, v) for d in g.objects(ds, DCAT.distribution)
                         for v in g.objects(d, DCTERMS.license)]
    ids = sorted({i for text in given if (i := licence_id(text))})
    out.dataset["license_id"] = ids[0] if ids else ""
    item.rest()


def _spatial(item: _Item) -> None:
    g, ds = item.g, item.node
    item.used.add(DCTERMS.spatial)
    for where in sorted(g.objects(ds, DCTERMS.spatial), key=str):
        if isinstance(where, URIRef) and str(where).startswith(_GEOCODING):
            item.fields.setdefault("political_geocoding_uri", []).append(str(where))
            continue
        units = [str(u) for p in (LOCN.adminUnitL2, LOCN.adminUnitL1)
                 for u in g.objects(where, p) if str(u).startswith(_GEOCODING)]
        item.fields.setdefault("political_geocoding_uri", []).extend(units)
        place = _location(g, where)
        if any(place.values()):
            item.fields.setdefault("spatial_coverage", []).append(place)
        for sub, inner in g.predicate_objects(where):
            if sub not in _LOCATION_PARTS | {LOCN.adminUnitL2, LOCN.adminUnitL1}:
                item.drop(f"dct:spatial/{_curie(sub)}", inner)


def _resource(g: Graph, dist: Node, out: Mapped) -> None:
    item = _Item(g, dist, "distribution", out)
    item.one(DCAT.accessURL, "access_url")
    item.one(DCAT.downloadURL, "download_url")
    item.fields["url"] = item.fields.get("download_url") or item.fields.get("access_url", "")
    item.one(DCTERMS.title, "name")
    item.one(DCTERMS.description, "description")
    item.one(DCTERMS.format, "format", lambda v: str(v).rsplit("/", 1)[-1])
    item.one(DCAT.mediaType, "mimetype", lambda v: str(v).split("/media-types/", 1)[-1])
    item.one(DCAT.compressFormat, "compress_format")
    item.one(DCAT.packageFormat, "package_format")
    item.one(DCTERMS.license, "license", lambda v: _licence_text(g, v))
    item.one(DCATDE.licenseAttributionByText, "license_attribution_by_text")
    item.one(DCTERMS.rights, "rights", lambda v: _rights(g, v))
    item.one(DCAT.byteSize, "size", lambda v: int(str(v)) if str(v).isdigit() else str(v))
    item.one(DCTERMS.issued, "issued")
    item.one(DCTERMS.modified, "modified")
    item.one(DCATAP.availability, "availability")
    item.one(URIRef("http://www.w3.org/ns/adms#status"), "status")
    item.many(DCTERMS.language, "language")
    item.many(DCTERMS.conformsTo, "conforms_to")
    item.many(FOAF.page, "documentation")
    item.used.add(SPDX.checksum)
    for checksum in g.objects(dist, SPDX.checksum):
        value = _text(g, checksum, SPDX.checksumValue)
        algorithm = str(g.value(checksum, SPDX.algorithm) or "")
        item.fields["hash"] = value
        item.fields["hash_algorithm"] = algorithm
        if algorithm.endswith("sha256"):
            item.fields["checksum"] = value
    item.fields["uri"] = str(dist) if isinstance(dist, URIRef) else ""
    item.rest()
    out.resources.append(item.fields)


def map_graph(text: str, licence_id: Callable[[str], str | None]) -> Mapped:
    """The record's description (N-Triples) as CKAN fields; LICENCE_ID gives the
    CKAN's id for a licence address or name (None: it offers none)."""
    g = Graph().parse(data=text, format="nt")
    ds = next(g.subjects(RDF.type, DCAT.Dataset))
    out = Mapped(id=str(ds))
    _dataset(g, ds, out, licence_id)
    for dist in sorted(g.objects(ds, DCAT.distribution), key=str):
        _resource(g, dist, out)
    return out


def fit(mapped: Mapped, schema: dict[str, Any]) -> None:
    """Keep the dataset fields and sub-fields SCHEMA (scheming_dataset_schema_show)
    has; report the others: CKAN would drop them silently."""
    fields = {f["field_name"]: f for f in schema.get("dataset_fields", [])}
    for name in list(mapped.dataset):
        if name in ("name", "owner_org", "tags", "resources", "license_id"):
            continue
        value = mapped.dataset[name]
        if name not in fields:
            del mapped.dataset[name]
            if value not in ("", [], None):
                mapped.dropped.append(("dataset", mapped.id, Change(
                    name, f"this CKAN's dataset schema has no field '{name}'",
                    old=shown(name, json.dumps(value, ensure_ascii=False)))))
            continue
        subfields = {s["field_name"] for s in fields[name].get("repeating_subfields") or []}
        if subfields and isinstance(value, list):
            for entry in value:
                for key in [k for k in entry if k not in subfields]:
                    if entry.pop(key):
                        mapped.dropped.append(("dataset", mapped.id, Change(
                            f"{name}.{key}", f"this CKAN's schema has no sub-field '{key}'")))
