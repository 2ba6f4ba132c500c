"""DCAT-AP.AT 2.1 (data.gv.at) RDF and its mandatory fields.

DCAT-AP.AT is stricter than DCAT-AP.de: keyword, contact point, theme,
identifier and format are mandatory; exactly one publisher and one licence
per distribution. No official SHACL shapes ship with the project for it, so
`check_dcat_ap_at` checks these rules on the record itself.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from publisher.metadata import vocab
from publisher.metadata.dcat_ap_de import (
    add_dataset_core,
    add_location,
    concept,
    new_graph,
)
from publisher.metadata.model import DatasetMetadata
from publisher.metadata.namespaces import LOCN
from publisher.metadata.shacl import Violation

# EU data theme -> data.gv.at category (OGD metadata `categorization`).
AT_CATEGORIES: dict[str, str] = {
    "AGRI": "land-und-forstwirtschaft", "ECON": "wirtschaft-und-tourismus",
    "EDUC": "bildung-und-forschung", "ENER": "umwelt", "ENVI": "umwelt",
    "GOVE": "verwaltung-und-politik", "HEAL": "gesundheit", "INTR": "verwaltung-und-politik",
    "JUST": "verwaltung-und-politik", "REGI": "geographie-und-planung",
    "SOCI": "gesellschaft-und-soziales", "TECH": "verkehr-und-technik",
    "TRAN": "verkehr-und-technik",
}


def licence_uri_at(meta: DatasetMetadata) -> str | None:
    """The licence as data.gv.at names it: the licence's own address (CC, ODC),
    else its DCAT-AP.de URI."""
    if meta.licence is None:
        return None
    return meta.licence.url or meta.licence.uri


def dcat_ap_at_graph(meta: DatasetMetadata) -> Graph:
    g = new_graph()
    g.bind("locn", LOCN)
    ds = add_dataset_core(g, meta, known_only=False)
    add_location(g, ds, meta)
    if meta.modified:
        g.add((ds, DCTERMS.modified, Literal(meta.modified.isoformat(timespec="seconds"),
                                             datatype=XSD.dateTime)))
    licence = licence_uri_at(meta)
    for dist in meta.distributions:
        node = URIRef(f"{meta.uri}/distribution/{dist.key}")
        g.add((ds, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(dist.title, lang="de")))
        g.add((node, DCAT.accessURL, URIRef(dist.access_url)))
        g.add((node, DCAT.downloadURL, URIRef(dist.download_url)))
        g.add((node, DCAT.byteSize, Literal(dist.bytes, datatype=XSD.nonNegativeInteger)))
        if dist.file_type_uri:
            concept(g, node, DCTERMS.format, dist.file_type_uri, vocab.FILE_TYPE)
        if licence:
            g.add((node, DCTERMS.license, URIRef(licence)))
            g.add((URIRef(licence), RDF.type, DCTERMS.LicenseDocument))
        if meta.attribution:
            # AT: license_citation, written as the rights statement of the distribution
            g.add((node, DCTERMS.rights, Literal(meta.attribution, lang="de")))
    return g


def check_dcat_ap_at(meta: DatasetMetadata) -> list[Violation]:
    """The DCAT-AP.AT 2.1 mandatory fields, each naming the pipeline field to fill."""
    found: list[tuple[str, URIRef, str]] = []
    if not meta.keywords:
        found.append(("dataset.keywords", DCAT.keyword, "DCAT-AP.AT needs at least one keyword"))
    if meta.contact is None or not (meta.contact.email or meta.contact.url):
        found.append(("dataset.contact", DCAT.contactPoint,
                      "DCAT-AP.AT needs a contact point with an e-mail address or a URL"))
    if not meta.themes:
        found.append(("dataset.themes", DCAT.theme,
                      "DCAT-AP.AT needs at least one theme (EU data theme code, e.g. TRAN)"))
    for theme in meta.themes:
        if not vocab.known(theme, vocab.THEMES):
            found.append(("dataset.themes", DCAT.theme,
                          f"'{theme}' is not an EU data theme code"))
    if licence_uri_at(meta) is None:
        found.append(("dataset.license", DCTERMS.license,
                      "every distribution needs exactly one known licence"))
    for dist in meta.distributions:
        if dist.file_type_uri is None:
            found.append((f"resources[{dist.key}].format", DCTERMS.format,
                          f"format '{dist.format}' has no EU file type"))
    return [Violation(field=f, path=str(p), focus=meta.uri, message=m, severity="Violation")
            for f, p, m in found]
