"""A CKAN dataset (package_show) as the DCAT graph it stands for, the way
ckanext-dcat's DCAT-AP profiles read CKAN fields (our scheming names, then
ckanext-dcatde's extras): dataset, resources as distributions with their own
addresses, contact points, agents, periods, places. Values are written as
CKAN holds them; publisher.harvest.normalise then writes them in DCAT-AP.de 3.0
and reports what it changes, as for any harvested catalogue. A CKAN field this
mapping has no property for is returned, to be reported.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS
from rdflib.term import Node

from publisher.harvest.normalise import ADMS_IDENTIFIER, DCAT3
from publisher.metadata.namespaces import DCATAP, DCATDE, GEODCATAP, GSP, LOCN, SPDX, VCARD

# CKAN's own bookkeeping, not metadata of the dataset.
_INTERNAL = {"id", "name", "type", "state", "private", "owner_org", "creator_user_id",
             "revision_id", "num_tags", "num_resources", "isopen", "license_title",
             "relationships_as_object", "relationships_as_subject", "tracking_summary",
             "extras", "organization", "metadata_created", "metadata_modified", "url_type",
             "harvest_object_id", "harvest_source_id", "harvest_source_title", "guid"}
_RESOURCE_INTERNAL = {"id", "package_id", "position", "state", "cache_url",
                      "cache_last_updated", "url_type", "mimetype_inner", "resource_type",
                      "datastore_active", "tracking_summary", "metadata_modified",
                      "publisher_key", "distribution_ref", "last_modified", "created"}
SPDX_SHA = {"sha1": SPDX.checksumAlgorithm_sha1, "sha256": SPDX.checksumAlgorithm_sha256,
            "md5": SPDX.checksumAlgorithm_md5}


def flat(package: dict[str, Any]) -> dict[str, Any]:
    """Top-level fields, with the `extras` (key/value pairs) under them."""
    out = {str(e["key"]): e.get("value") for e in package.get("extras") or []
           if isinstance(e, dict) and e.get("key")}
    out.update({k: v for k, v in package.items() if k != "extras"})
    return out


def values(value: Any) -> list[Any]:
    """A list, whether CKAN gives a list, a JSON-encoded list (extras) or one value."""
    if isinstance(value, list):
        return [v for v in value if v not in (None, "")]
    if isinstance(value, str) and value.strip().startswith(("[", "{")):
        try:
            loaded = json.loads(value)
        except ValueError:
            return [value]
        return loaded if isinstance(loaded, list) else [loaded]
    return [value] if value not in (None, "") else []


def _node(value: Any) -> Node:
    text = str(value).strip()
    return URIRef(text) if text.startswith(("http://", "https://", "urn:", "mailto:")) \
        else Literal(text)


class _Builder:
    def __init__(self, package: dict[str, Any], base: str):
        self.g = Graph()
        self.fields = flat(package)
        self.used: set[str] = set(_INTERNAL)
        uri = str(self.fields.get("uri") or "")
        self.ds: URIRef = URIRef(uri if uri.startswith(("http://", "https://"))
                                 else f"{base}/dataset/{package.get('id')}")
        self.base, self.package = base, package

    def given(self, *keys: str) -> list[Any]:
        """The values of the first of KEYS given (all marked used)."""
        self.used.update(keys)
        for key in keys:
            found = values(self.fields.get(key))
            if found:
                return found
        return []

    def add(self, prop: URIRef, *keys: str, subject: Node | None = None,
            literal: bool = False) -> None:
        for value in self.given(*keys):
            if not isinstance(value, dict | list):
                self.g.add((subject or self.ds, prop, Literal(str(value)) if literal
                            else _node(value)))

    def agent(self, prop: URIRef, name: Any, email: Any = None, uri: Any = None,
              url: Any = None, kind: Any = None) -> None:
        if not (name or email or uri):
            return
        node: Node = URIRef(str(uri)) if str(uri or "").startswith("http") else BNode()
        self.g.add((self.ds, prop, node))
        self.g.add((node, RDF.type, FOAF.Agent))
        if name:
            self.g.add((node, FOAF.name, Literal(str(name))))
        if email:
            self.g.add((node, FOAF.mbox, URIRef(f"mailto:{str(email).removeprefix('mailto:')}")))
        if url:
            self.g.add((node, FOAF.homepage, _node(url)))
        if kind:
            self.g.add((node, DCTERMS.type, _node(kind)))

    def contact(self, item: dict[str, Any]) -> None:
        node: Node = URIRef(str(item["uri"])) if str(item.get("uri") or "").startswith(
            "http") else BNode()
        self.g.add((self.ds, DCAT.contactPoint, node))
        self.g.add((node, RDF.type, VCARD.Kind))
        for key, prop in (("name", VCARD.fn), ("identifier", VCARD.hasUID)):
            if item.get(key):
                self.g.add((node, prop, Literal(str(item[key]))))
        if item.get("email"):
            self.g.add((node, VCARD.hasEmail, Literal(str(item["email"]))))
        if item.get("url"):
            self.g.add((node, VCARD.hasURL, _node(item["url"])))
        if item.get("phone"):
            self.g.add((node, VCARD.hasTelephone, Literal(str(item["phone"]))))

    def period(self, start: Any, end: Any) -> None:
        if not (start or end):
            return
        node = BNode()
        self.g.add((self.ds, DCTERMS.temporal, node))
        self.g.add((node, RDF.type, DCTERMS.PeriodOfTime))
        for value, prop in ((start, DCAT.startDate), (end, DCAT.endDate)):
            if value:
                self.g.add((node, prop, Literal(str(value))))

    def place(self, text: Any = None, geom: Any = None, bbox: Any = None,
              centroid: Any = None, uri: Any = None) -> None:
        if uri and str(uri).startswith("http"):
            self.g.add((self.ds, DCTERMS.spatial, URIRef(str(uri))))
        if not (text or geom or bbox or centroid):
            return
        where = BNode()
        self.g.add((self.ds, DCTERMS.spatial, where))
        self.g.add((where, RDF.type, DCTERMS.Location))
        if text:
            self.g.add((where, LOCN.geographicName, Literal(str(text))))
        if geom:
            shape, value = BNode(), _geo(geom)
            self.g.add((where, LOCN.geometry, shape))
            self.g.add((shape, RDF.type, LOCN.Geometry))
            self.g.add((shape, GSP.asGeoJSON if value.datatype == GSP.geoJSONLiteral
                        else GSP.asWKT, value))
        for value, prop in ((bbox, DCAT.bbox), (centroid, DCAT.centroid)):
            if value:
                self.g.add((where, prop, _geo(value)))


def _geo(value: Any) -> Literal:
    text = json.dumps(value) if isinstance(value, dict) else str(value).strip()
    return Literal(text, datatype=GSP.geoJSONLiteral if text.startswith("{") else GSP.wktLiteral)


def _dataset(b: _Builder) -> None:
    g, ds = b.g, b.ds
    g.add((ds, RDF.type, DCAT.Dataset))
    b.add(DCTERMS.title, "title", literal=True)
    b.add(DCTERMS.description, "notes", literal=True)
    b.used.add("tags")
    for tag in b.package.get("tags") or []:
        if isinstance(tag, dict) and tag.get("name"):
            g.add((ds, DCAT.keyword, Literal(str(tag["name"]))))
    b.add(DCAT.theme, "theme")
    b.add(DCTERMS.language, "language")
    b.add(DCTERMS.accrualPeriodicity, "frequency")
    b.add(DCTERMS.issued, "issued", "metadata_created", literal=True)
    b.add(DCTERMS.modified, "modified", "metadata_modified", literal=True)
    b.add(DCTERMS.identifier, "identifier", "guid", "id", literal=True)
    b.add(DCAT3.version, "version", literal=True)
    b.add(DCAT.landingPage, "url")
    b.add(DCATDE.contributorID, "contributor_id", "contributorID")
    b.add(DCTERMS.spatial, "political_geocoding_uri", "politicalGeocodingURI", "spatial_uri")
    b.add(DCATDE.politicalGeocodingLevelURI, "political_geocoding_level_uri",
          "politicalGeocodingLevelURI")
    b.add(DCATDE.geocodingDescription, "geocoding_description", "geocodingText", literal=True)
    b.add(DCATDE.legalBasis, "legal_basis", "legalbasisText", literal=True)
    b.add(DCATDE.qualityProcessURI, "quality_process_uri", "qualityProcessURI")
    b.add(DCATAP.applicableLegislation, "applicable_legislation")
    b.add(DCTERMS.conformsTo, "conforms_to")
    b.add(FOAF.page, "documentation")
    b.add(DCAT3.hasVersion, "has_version")
    b.add(DCTERMS.isReferencedBy, "is_referenced_by")
    b.add(DCTERMS.accessRights, "access_rights")
    b.add(DCTERMS.provenance, "provenance", literal=True)
    for value in b.given("alternate_identifier"):
        node = BNode()
        g.add((ds, ADMS_IDENTIFIER, node))
        g.add((node, SKOS.notation, Literal(str(value))))
    licence = b.given("license_url") or b.given("license_id")
    if licence:
        g.add((ds, DCTERMS.license, _node(licence[0])))
    publishers = [p for p in b.given("publisher") if isinstance(p, dict)]
    for p in publishers:
        b.agent(DCTERMS.publisher, p.get("name"), p.get("email"), p.get("uri"), p.get("url"),
                p.get("type"))
    org = b.package.get("organization") or {}
    if not publishers and isinstance(org, dict) and (org.get("title") or org.get("name")):
        b.agent(DCTERMS.publisher, org.get("title") or org.get("name"))
    for c in b.given("creator"):
        if isinstance(c, dict):
            b.agent(DCTERMS.creator, c.get("name"), c.get("email"), c.get("uri"),
                    c.get("url"), c.get("type"))
    for role, name, email in ((GEODCATAP.originator, "author", "author_email"),
                              (GEODCATAP.custodian, "maintainer", "maintainer_email")):
        b.agent(role, *(b.given(name) or [None])[:1], *(b.given(email) or [None])[:1])
    contacts = [c for c in b.given("contact") if isinstance(c, dict)]
    for c in contacts:
        b.contact(c)
    emails = b.given("contact_email")
    if not contacts and emails:
        b.contact({"email": emails[0]})
    periods = [p for p in b.given("temporal_coverage") if isinstance(p, dict)]
    for p in periods:
        b.period(p.get("start"), p.get("end"))
    start, end = b.given("temporal_start"), b.given("temporal_end")
    if not periods:
        b.period(start[0] if start else None, end[0] if end else None)
    for s in b.given("spatial_coverage"):
        if isinstance(s, dict):
            b.place(s.get("text"), s.get("geom"), s.get("bbox"), s.get("centroid"), s.get("uri"))
    geometry, toponym = b.given("spatial"), b.given("geographic_toponym", "spatial_text")
    bbox = b.given("geographic_bbox")
    if geometry or toponym or bbox:
        b.place(toponym[0] if toponym else None, geometry[0] if geometry else None,
                bbox[0] if bbox else None)


def _distribution(b: _Builder, resource: dict[str, Any]) -> tuple[URIRef, list[str]]:
    """One resource as a distribution: its IRI, and the resource fields it has no
    property for."""
    g = b.g
    uri = str(resource.get("uri") or "")
    node = URIRef(uri if uri.startswith("http") else
                  f"{b.base}/dataset/{b.package.get('id')}/resource/{resource.get('id')}")
    g.add((b.ds, DCAT.distribution, node))
    g.add((node, RDF.type, DCAT.Distribution))
    used = set(_RESOURCE_INTERNAL) | {"uri"}

    def put(prop: URIRef, *keys: str, literal: bool = False) -> None:
        used.update(keys)
        for key in keys:
            for value in values(resource.get(key)):
                if not isinstance(value, dict | list):
                    g.add((node, prop, Literal(str(value)) if literal else _node(value)))
            if values(resource.get(key)):
                return

    put(DCAT.accessURL, "access_url", "url")
    put(DCAT.downloadURL, "download_url")
    if resource.get("url_type") == "upload" and not resource.get("download_url"):
        put(DCAT.downloadURL, "url")
    put(DCTERMS.title, "name", literal=True)
    put(DCTERMS.description, "description", literal=True)
    put(DCTERMS.format, "format", literal=True)
    put(DCAT.mediaType, "mimetype", literal=True)
    put(DCTERMS.license, "license")
    put(DCATDE.licenseAttributionByText, "license_attribution_by_text", literal=True)
    put(DCAT.byteSize, "size", literal=True)
    put(DCTERMS.rights, "rights", literal=True)
    put(DCTERMS.issued, "issued", literal=True)
    put(DCTERMS.modified, "modified", literal=True)
    put(DCTERMS.language, "language")
    put(DCTERMS.conformsTo, "conforms_to")
    put(FOAF.page, "documentation")
    put(DCATAP.availability, "availability")
    put(URIRef("http://www.w3.org/ns/adms#status"), "status")
    used.update({"hash", "hash_algorithm", "checksum"})
    digest = str(resource.get("checksum") or resource.get("hash") or "")
    algorithm = str(resource.get("hash_algorithm") or ("sha256" if resource.get("checksum")
                                                       else digest.partition(":")[0]))
    digest = digest.split(":", 1)[-1]
    spdx = SPDX_SHA.get(algorithm.rsplit("_", 1)[-1].lower()) or (
        URIRef(algorithm) if algorithm.startswith("http") else None)
    if digest and spdx is not None:
        checksum = BNode()
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, spdx))
        g.add((checksum, SPDX.checksumValue, Literal(digest)))
    missing = sorted(k for k, v in resource.items() if k not in used and v not in (None, "", []))
    return node, missing + (["hash"] if digest and spdx is None else [])


def package_graph(package: dict[str, Any], base: str
                  ) -> tuple[Graph, URIRef, list[str], dict[str, list[str]]]:
    """The package as DCAT: (graph, dataset IRI, dataset fields without a property,
    per distribution IRI the resource fields without one)."""
    b = _Builder(package, base)
    _dataset(b)
    left: dict[str, list[str]] = {}
    for resource in package.get("resources") or []:
        if isinstance(resource, dict):
            node, missing = _distribution(b, resource)
            if missing:
                left[str(node)] = missing
    unmapped = sorted(k for k, v in b.fields.items()
                      if k not in b.used and k != "resources" and v not in (None, "", [], {}))
    return b.g, b.ds, unmapped, left
