"""One dcat:Dataset of a harvested catalogue as a record: its own description
in DCAT-AP.de 3.0 (publisher.harvest.normalise), kept whole for the catalogue to
serve again, and the fields the local catalogue lists and searches by, read
from that description.
"""

from __future__ import annotations

from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

from publisher.errors import InputError
from publisher.harvest import fields
from publisher.harvest.accounting import ItemReport, RecordReport
from publisher.harvest.model import HarvestRecord, HarvestReport, slug
from publisher.harvest.normalise import describe, normalise
from publisher.metadata import vocab
from publisher.metadata.namespaces import DCATDE, GEODCATAP, GSP, LOCN, SPDX, VCARD


def text(g: Graph, node: Node, prop: URIRef) -> str | None:
    """German first, then untagged, then any language."""
    values = [o for o in g.objects(node, prop) if isinstance(o, Literal)]
    for wanted in ("de", None):
        for v in values:
            if v.language == wanted:
                return str(v).strip()
    return str(values[0]).strip() if values else None


def _agent_name(g: Graph, agent: Node) -> str:
    if isinstance(agent, Literal):
        return str(agent)
    return text(g, agent, FOAF.name) or text(g, agent, VCARD.fn) or str(agent)


def _agent(g: Graph, value: Node) -> dict[str, str] | None:
    name = text(g, value, FOAF.name) or text(g, value, VCARD.fn)
    mbox = g.value(value, FOAF.mbox) or g.value(value, VCARD.hasEmail)
    uri = str(value) if isinstance(value, URIRef) else None
    return fields.agent(name or uri, uri, str(mbox) if mbox is not None else None)


def _contact(g: Graph, node: Node) -> dict[str, str] | None:
    """The first contact point, as its own name, e-mail, web address and phone."""
    for contact in sorted(g.objects(node, DCAT.contactPoint), key=str):
        out = {"name": text(g, contact, VCARD.fn) or text(g, contact, VCARD["organization-name"])}
        email = g.value(contact, VCARD.hasEmail)
        url = g.value(contact, VCARD.hasURL)
        phone = g.value(contact, VCARD.hasTelephone)
        out["email"] = fields.email(str(email)) if email is not None else None
        out["url"] = str(url) if url is not None else None
        out["phone"] = str(phone).removeprefix("tel:") if phone is not None else None
        found = {k: v for k, v in out.items() if v}
        if found:
            return found
    return None


def _location(g: Graph, node: Node, out: dict[str, Any]) -> None:
    for where in g.objects(node, DCTERMS.spatial):
        if isinstance(where, URIRef) and (key := fields.geocoding_key(str(where))):
            out.setdefault("municipality_key", key)
        for unit in (LOCN.adminUnitL2, LOCN.adminUnitL1):
            for ref in g.objects(where, unit):
                if key := fields.geocoding_key(str(ref)):
                    out.setdefault("municipality_key", key)
        name = text(g, where, LOCN.geographicName) or text(g, where, SKOS.prefLabel) \
            or text(g, where, RDFS.label)
        if name:
            out.setdefault("place", name)
        for prop, key in ((LOCN.geometry, "geometry"), (DCAT.bbox, "bbox")):
            for shape in g.objects(where, prop):
                value = shape if isinstance(shape, Literal) else (
                    g.value(shape, GSP.asWKT) or g.value(shape, GSP.asGeoJSON))
                if isinstance(value, Literal) and str(value).strip():
                    out.setdefault(key, str(value).strip())


def _temporal(g: Graph, node: Node) -> dict[str, str] | None:
    for period in g.objects(node, DCTERMS.temporal):
        found = {end: v for end, prop in (("start", DCAT.startDate), ("end", DCAT.endDate))
                 if (v := fields.temporal_value(g.value(period, prop)))}
        if found:
            return found
    return None


def dataset_fields(g: Graph, node: Node) -> dict[str, Any]:
    """What the local catalogue holds of the dataset beside its graph, under the
    metadata keys of our own pipelines' dataset section (the first value where the
    graph has several: the graph keeps them all)."""
    out: dict[str, Any] = {}
    publisher = g.value(node, DCTERMS.publisher)
    if isinstance(publisher, URIRef):
        out["publisher_uri"] = str(publisher)
    out["languages"] = sorted({c for v in g.objects(node, DCTERMS.language)
                               if (c := fields.language_code(str(v)))})
    for value in g.objects(node, DCTERMS.accrualPeriodicity):
        out["frequency"] = fields.frequency_code(str(value))
    landing = g.value(node, DCAT.landingPage)
    if landing is not None:
        out["landing_page"] = str(landing)
    contributors = sorted(str(v) for v in g.objects(node, DCATDE.contributorID))
    if contributors:
        out["contributor_id"] = contributors[0]
    _location(g, node, out)
    out["temporal"] = _temporal(g, node)
    for role, prop in (("originator", GEODCATAP.originator), ("maintainer", GEODCATAP.custodian)):
        for value in sorted(g.objects(node, prop), key=str):
            out.setdefault(role, _agent(g, value))
    if "originator" not in out:
        creators = list(g.objects(node, DCTERMS.creator))
        if len(creators) == 1:
            out["originator"] = _agent(g, creators[0])
    out["contact"] = _contact(g, node)
    return {k: v for k, v in out.items() if v}


def _licence(g: Graph, value: Node | None) -> str:
    """A licence's address, or the name of a licence document without one."""
    if value is None:
        return ""
    return str(value) if isinstance(value, URIRef) else (text(g, value, RDFS.label) or "")


def resource_fields(g: Graph, dist: Node) -> dict[str, str]:
    """A distribution as the local catalogue lists it (its own addresses)."""
    download = g.value(dist, DCAT.downloadURL)
    access = g.value(dist, DCAT.accessURL)
    url = str(download or access or "")
    fmt = g.value(dist, DCTERMS.format)
    out = {"url": url, "access_url": str(access or ""), "download_url": str(download or ""),
           "name": (text(g, dist, DCTERMS.title) or url.rsplit("/", 1)[-1] or str(dist))[:200],
           "title": text(g, dist, DCTERMS.title) or "",
           "description": text(g, dist, DCTERMS.description) or "",
           "format": str(fmt).rsplit("/", 1)[-1].lower() if fmt is not None else "",
           "media_type": str(g.value(dist, DCAT.mediaType) or "").removeprefix(vocab.IANA_MEDIA),
           "license": _licence(g, g.value(dist, DCTERMS.license)),
           "byte_size": str(g.value(dist, DCAT.byteSize) or "")}
    checksum = g.value(dist, SPDX.checksum)
    if checksum is not None:
        out["checksum"] = str(g.value(checksum, SPDX.checksumValue) or "")
    return {k: v for k, v in out.items() if v}


def canonical(g: Graph) -> str:
    """N-Triples with blank nodes labelled by the graph's content: the same
    description gives the same text (and fingerprint) on every harvest."""
    lines = to_canonical_graph(g).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def map_dataset(g: Graph, node: Node, report: HarvestReport) -> HarvestRecord:
    """One dcat:Dataset as a record; InputError if it cannot be used."""
    source_id = str(node) if isinstance(node, URIRef) else (
        text(g, node, DCTERMS.identifier) or "")
    if not source_id:
        raise InputError("a dataset without URI or dct:identifier")
    title = text(g, node, DCTERMS.title)
    if not title:
        raise InputError("no dct:title", where=source_id)
    name = slug(source_id.rstrip("/").rsplit("/", 1)[-1], source_id)
    accounts = RecordReport(id=source_id, name=name,
                            dataset=ItemReport(kind="dataset", id=source_id))
    source, stand_ins = describe(g, node), {}
    if (node, DCTERMS.publisher, None) not in source:
        for catalogue in g.subjects(DCAT.dataset, node):
            if (publisher := g.value(catalogue, DCTERMS.publisher)) is not None:
                source.add((node, DCTERMS.publisher, publisher))
                source += describe(g, publisher)
                stand_ins[DCTERMS.publisher] = (
                    "DCAT-AP.de requires a publisher and the source gives none for the "
                    "dataset: the publisher of the catalogue that lists it stands in")
                break
    own = normalise(source, node, accounts, stand_ins)
    description = text(g, node, DCTERMS.description)
    if not description:
        report.note_gap("description")
    publisher = own.value(node, DCTERMS.publisher)
    if publisher is None:
        report.note_gap("publisher")
    distributions = sorted(own.objects(node, DCAT.distribution), key=str)
    resources = [r for d in distributions if (r := resource_fields(own, d)).get("url")]
    licences = [_licence(own, v) for v in own.objects(node, DCTERMS.license)] or sorted(
        {r["license"] for r in resources if "license" in r})
    extra = dataset_fields(own, node)
    contact = extra.get("contact") or {}
    modified, issued = own.value(node, DCTERMS.modified), own.value(node, DCTERMS.issued)
    report.records.append(accounts)
    return HarvestRecord(
        source_id=source_id, name=name, title=title, description=description or "",
        publisher=_agent_name(own, publisher) if publisher is not None else "",
        source_uri=source_id,
        modified=str(modified) if modified is not None else None,
        issued=str(issued) if issued is not None else None,
        keywords=sorted({k for k in (str(o) for o in own.objects(node, DCAT.keyword)) if k}),
        themes=sorted({str(t).rstrip("/").rsplit("/", 1)[-1]
                       for t in own.objects(node, DCAT.theme)}),
        license=licences[0] if licences else None, contact_email=contact.get("email"),
        resources=resources, graph=canonical(own), **extra)
